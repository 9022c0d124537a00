"""Demo of issue 18's service commitments (`kefu demo load`, after the sample cases): a 报备 answered
with an expected time that has since passed (CASE-8: the clock breached, the case escalated to 吕欣's
supervisor, 徐浩 may give a new time from the inbox), and the calls of two phone cases (SLA-1: one
recorded by the agent within the rings, one from the telephony log answered late). The major
complaint of `load_cases` carries the major-quality notice clock (SLA-1), missed by now."""

from datetime import timedelta

from kefu.cases import actions
from kefu.cases.actions import calls as actions_calls
from kefu.cases.actions import handoffs as actions_handoffs
from kefu.cases.actions import routing as actions_routing
from kefu.cases.models import CallRecord, Case
from kefu.core import clock
from kefu.engine.workflow.actions import deadlines
from kefu.org.access import actor_for
from kefu.org.models import Employee, Unit

PEOPLE = ["zhaomin", "lina", "lvxin", "xuhao", "gaofeng"]


def _as(employee):
    return actor_for(employee.user, origin="cli demo")


def load_commitments(actor) -> dict:
    people = {
        e.user.username: e
        for e in Employee.objects.select_related("user", "unit").filter(user__username__in=PEOPLE)
    }
    if len(people) < len(PEOPLE) or not Case.objects.exists() or CallRecord.objects.exists():
        return {"calls": 0}
    with clock.frozen_at(clock.now() - timedelta(days=1)):
        water, _ = actions.create_case(
            _as(people["lvxin"]),
            unit=people["lvxin"].unit,
            kind="consultation",
            channel="phone",
            title="小区水压不足，高层住户用水困难",
            contact={"name": "邵女士", "phone": "13512340021"},
        )
        if water.owner_id != people["lvxin"].pk:
            actions_routing.assign(_as(people["gaofeng"]), water, people["lvxin"])
            water = Case.objects.get(pk=water.pk)
        handoff = actions_handoffs.send(
            _as(people["lvxin"]),
            water,
            Unit.objects.get(code="water-tech"),
            "高层水压不足，请技术部排查加压泵",
        )
        handoff = actions_handoffs.acknowledge(_as(people["xuhao"]), handoff)
        actions_handoffs.defer(
            _as(people["xuhao"]), handoff, "需更换加压泵，配件在途", clock.now() + timedelta(hours=3)
        )
        actions_calls.record_rings(_as(people["lvxin"]), water, 2)  # the agent's own count: within
    logged = (
        Case.objects.filter(unit__code="realty-cs-hotline", channel="phone", owner__isnull=False)
        .order_by("pk")
        .first()
    )
    made = 0
    if logged is not None:
        rang = logged.received_at
        made = actions_calls.import_log(
            _as(people["lina"]),
            [
                {
                    "case": logged,
                    "call_id": f"DEMO-{logged.number}",
                    "rang_at": rang,
                    "answered_at": rang + timedelta(seconds=30),
                    "rings": 6,
                    "agent": logged.owner,
                }
            ],
        )["imported"]
    deadlines.sweep()  # the present: the expected time passed → breach recorded, case escalated
    return {"calls": 1 + made, "handoff": handoff.pk}
