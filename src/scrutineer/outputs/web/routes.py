"""The URL map: every page (its builder, template and permission) and every form (its
permission and action), one line each, and `create_app`, which serves them. A page's JSON
twin is at /api + its path (/api/overview for /)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from sqlalchemy import Engine as Records
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from scrutineer.outputs.web.actions import admin, clinic, downloads, governance, qa, sign_in
from scrutineer.outputs.web.guards import BodyLimit, SecurityHeaders
from scrutineer.outputs.web.oidc import CALLBACK
from scrutineer.outputs.web.pages import admin as admin_pages
from scrutineer.outputs.web.pages import figures as figure_pages
from scrutineer.outputs.web.pages import governance as governance_pages
from scrutineer.outputs.web.pages import inspection as inspection_pages
from scrutineer.outputs.web.pages import qa as qa_pages
from scrutineer.outputs.web.posting import Form, Posted
from scrutineer.outputs.web.site import PageRoute, Site
from scrutineer.settings import Settings

# fmt: off
P = PageRoute
FIG, QA, GOV, ADMIN = figure_pages, qa_pages, governance_pages, admin_pages
INSPECTION = inspection_pages
PAGES = (  # name, path, permission, template, builder, title; each with a JSON twin at /api
    P("overview", "/", "aggregates", "overview.html", FIG.overview, "Overview", True),
    P("indicator", "/indicators/{kpi}", "aggregates", "indicator.html", FIG.indicator, "Indicator", True),
    P("clinics", "/clinics", "children", "clinics.html", FIG.clinics, "Assurance clinics"),
    P("clinic", "/clinics/{service}", "children", "clinic.html", FIG.clinic, "Assurance clinic"),
    P("qa", "/qa", "aggregates", "qa.html", QA.qa_overview, "Quality assurance"),
    P("audits", "/qa/audits", "children", "qa_audits.html", QA.audit_list, "Case audits"),
    P("audit_form", "/qa/audits/new", "audit", "qa_audit_form.html", QA.new_audit, "Record a case audit"),
    P("alert_form", "/qa/alerts/new", "alert", "qa_alert_form.html", QA.new_alert, "Raise an IRO alert"),
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
    P("inspection", "/inspection", "inspection", "inspection.html", INSPECTION.inspection, "Inspection: Annex A"),
    P("users", "/admin/users", "admin", "users.html", ADMIN.users, "Users"),
    P("access_log", "/admin/access-log", "admin", "access_log.html", ADMIN.access_log, "Access log"),
)
FORMS: tuple[Form | Posted, ...] = (  # path, permission, action (Posted: CSRF and role checked)
    Form("/login", "GET", sign_in.login_page),
    Form("/login", "POST", sign_in.login),
    Form("/login/oidc", "GET", sign_in.oidc_start),
    Form(CALLBACK, "GET", sign_in.oidc_callback),
    Posted("/logout", None, sign_in.logout),
    Form("/account", "GET", sign_in.account_page),
    Posted("/account/password", None, sign_in.change_own_password),
    Posted("/narratives", "narratives", admin.save_narrative),
    Posted("/clinics/{service}/actions", "clinic", clinic.clinic_action),
    Posted("/admin/users", "admin", admin.users_action),
    Form("/snapshots/{snapshot}/quality.csv", "GET", admin.quality_download),
    Form("/clinics/{service}/overdue.{fmt}", "GET", downloads.clinic_overdue),
    Form("/indicators/{kpi}/exceptions.{fmt}", "GET", downloads.indicator_exceptions),
    Form("/inspection/{file}", "GET", downloads.annex_a_file),
    Posted("/qa/audits", "audit", qa.create_audit),
    Posted("/qa/audits/moderate", "audit", qa.moderate_audit),
    Posted("/qa/audits/actions", qa.step_needs, qa.audit_action),
    Posted("/qa/alerts", "alert", qa.raise_alert),
    Posted("/qa/alerts/stage", qa.action_needs, qa.alert_stage),
    Posted("/qa/adjournments", "alert", qa.adjourn_review),
    Form("/api/qa/records/{name}", "GET", qa.api_records),
    Form("/api/qa/records/{name}", "POST", qa.api_records),
    Posted("/governance/panels", "governance", governance.new_panel),
    Posted("/governance/seats", "governance", governance.new_seat),
    Posted("/governance/seats/end", "governance", governance.seat_ends),
    Posted("/governance/meetings", "governance", governance.new_meeting),
    Posted("/governance/resolutions", "governance", governance.new_resolution),
    Posted("/governance/updates", None, governance.new_update),
    Posted("/governance/agenda", "governance", governance.new_agenda_item),
    Posted("/governance/attendance", "governance", governance.attendance),
    Posted("/governance/declarations", "governance", governance.declaration),
    Posted("/governance/minutes", "governance", governance.minutes),
    Posted("/governance/accept", "governance", governance.accept_item),
    Posted("/governance/reviews", "governance", governance.new_review),
    Posted("/governance/reviews/recommendations", "governance", governance.review_recommendation),
    Form("/governance/meetings/{meeting}/monitoring.{fmt}", "GET", governance.monitoring_report),
    Form("/governance/meetings/{meeting}/papers/{item}.{fmt}", "GET", governance.paper),
)
# fmt: on


def create_app(settings: Settings, records: Records) -> Starlette:
    web = Site(settings, records)
    routes: list[BaseRoute] = []
    for route in PAGES:
        routes.append(Route(route.path, web.page(route, api=False), name=route.name))
        routes.append(Route(route.api, web.page(route, api=True)))
    for form in FORMS:
        routes.append(Route(form.path, form.handler(web), methods=[form.method]))
    routes.append(Route("/ready", web.ready))
    routes.append(Route("/api/session", web.session))
    static = Path(str(resources.files(__package__))) / "static"
    routes.append(Mount("/static", StaticFiles(directory=static), name="static"))
    app = Starlette(routes=routes, exception_handlers={404: web.not_found, 405: web.not_found})
    app.state.web = web
    if web.provider:
        web.provider.install(app)
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)  # the outermost: its headers on BodyLimit's 413 too
    return app
