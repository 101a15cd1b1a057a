"""The URL map: every page (its builder, template and permission) and every form, one
line each, and `create_app`, which serves them. A page's JSON twin is at /api + its path
(/api/overview for /)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from sqlalchemy import Engine as Records
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from scrutineer.outputs.web import (
    admin_pages,
    governance_forms,
    governance_pages,
    pages,
    qa_forms,
    qa_pages,
)
from scrutineer.outputs.web.forms import FORMS
from scrutineer.outputs.web.guards import BodyLimit, SecurityHeaders
from scrutineer.outputs.web.oidc import OIDC_FORMS
from scrutineer.outputs.web.site import PageRoute, Site
from scrutineer.settings import Settings

# fmt: off
P = PageRoute
QA, GOV, ADMIN = qa_pages, governance_pages, admin_pages
PAGES = (  # name, path, permission, template, builder, title; each with a JSON twin at /api
    P("overview", "/", "aggregates", "overview.html", pages.overview, "Overview", True),
    P("indicator", "/indicators/{kpi}", "aggregates", "indicator.html", pages.indicator, "Indicator", True),
    P("clinics", "/clinics", "children", "clinics.html", pages.clinics, "Assurance clinics"),
    P("clinic", "/clinics/{service}", "children", "clinic.html", pages.clinic, "Assurance clinic"),
    P("qa", "/qa", "aggregates", "qa.html", QA.qa_overview, "Quality assurance"),
    P("audits", "/qa/audits", "children", "qa_audits.html", QA.audit_list, "Case audits"),
    P("audit_form", "/qa/audits/new", "audit", "qa_audit_form.html", qa_forms.new_audit, "Record a case audit"),
    P("alert_form", "/qa/alerts/new", "alert", "qa_alert_form.html", qa_forms.new_alert, "Raise an IRO alert"),
    P("alerts", "/qa/alerts", "children", "qa_alerts.html", QA.alert_list, "IRO alerts"),
    P("qa_child", "/qa/children/{person_id}", "children", "qa_child.html", QA.child_history, "A child's quality-assurance history"),
    P("governance", "/governance", "aggregates", "governance.html", GOV.governance, "Panels and meetings"),
    P("meeting", "/governance/meetings/{meeting}", "aggregates", "meeting.html", GOV.meeting, "Meeting"),
    P("panel", "/governance/panels/{panel}", "aggregates", "panel.html", GOV.panel, "Panel"),
    P("review", "/governance/reviews/{review}", "aggregates", "review.html", GOV.review, "Practice review"),
    P("recommendations", "/governance/recommendations", "aggregates", "recommendations.html", GOV.recommendations, "Recommendations"),
    P("snapshots", "/snapshots", "snapshots", "snapshots.html", ADMIN.snapshots, "Snapshots"),
    P("snapshot", "/snapshots/{snapshot}", "snapshots", "snapshot.html", ADMIN.snapshot, "Snapshot and its data quality"),
    P("narratives", "/narratives", "narratives", "narratives.html", ADMIN.narratives, "Analysis and actions"),
    P("users", "/admin/users", "admin", "users.html", ADMIN.users, "Users"),
    P("access_log", "/admin/access-log", "admin", "access_log.html", ADMIN.access_log, "Access log"),
)
# fmt: on


def create_app(settings: Settings, records: Records) -> Starlette:
    web = Site(settings, records)
    routes: list[BaseRoute] = []
    for route in PAGES:
        routes.append(Route(route.path, web.page(route, api=False), name=route.name))
        routes.append(Route(route.api, web.page(route, api=True)))
    for form in (*FORMS, *qa_forms.QA_FORMS, *governance_forms.GOVERNANCE_FORMS, *OIDC_FORMS):
        routes.append(Route(form.path, form.handler(web), methods=[form.method]))
    routes.append(Route("/ready", web.ready))
    routes.append(Route("/api/session", web.session))
    static = Path(str(resources.files(__package__))) / "static"
    routes.append(Mount("/static", StaticFiles(directory=static), name="static"))
    app = Starlette(routes=routes)
    app.state.web = web
    if web.provider:
        web.provider.install(app)
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)  # the outermost: its headers on BodyLimit's 413 too
    return app
