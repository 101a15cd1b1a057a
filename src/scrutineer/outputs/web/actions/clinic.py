"""A clinic's agreed actions: a manager records what their service's clinic agreed for a
team (or the whole service), and marks last month's done or dropped."""

from __future__ import annotations

from starlette.responses import Response

from scrutineer.calendar import Period, parse_day
from scrutineer.errors import Forbidden, Invalid
from scrutineer.outputs.web.cookies import redirect_saying
from scrutineer.outputs.web.posting import Posting
from scrutineer.records.team_actions import action_of, add_action, set_status


def clinic_action(p: Posting) -> Response:
    """step=add: a new action of this month's clinic; step=status: one marked open, done or
    dropped. Only for a service the user holds."""
    service = str(p.request.path_params["service"])
    figures = p.site.cache.snapshot()
    teams = {t.id for t in figures.teams if t.service_id == service}
    if service not in dict(figures.services()) or not p.viewer.sees_children_of(service):
        return p.refuse(Forbidden("This service is not one you hold."))
    period = Period.parse(p.field("period"))
    if period not in figures.months:
        raise Invalid(
            f"A clinic is held for a month shown: {figures.months[-1]} to {figures.latest}."
        )
    back = f"/clinics/{service}?period={period}#agreed-h"
    who = p.viewer.user.display_name
    if p.field("step") == "add":
        team = p.text("team_id")
        if team and team not in teams:
            raise Invalid(f"Team: {team!r} is not one of this service's.")
        due_text = p.text("due_on")
        due = parse_day(due_text) if due_text else None
        if due_text and due is None:
            raise Invalid(f"Due: {due_text!r} is not a day of the calendar.")
        add_action(
            p.site.records, service, team, str(period), p.text("action"), p.text("owner"), due, who
        )
        return redirect_saying(p.request, back, "Action recorded.")
    if p.field("step") == "status":
        number = p.text("action_id")
        found = action_of(p.site.records, int(number)) if number.isdigit() else None
        if found is None or found.service_id != service:
            raise Invalid("No such action of this service.")
        set_status(p.site.records, found.id, p.text("status"), who)
        return redirect_saying(p.request, back, f"Action marked {p.text('status')}.")
    raise Invalid(f"No clinic step {p.field('step')!r}.")
