"""Calibration sessions (QA-1): an inspector opens a session on a case of their scope and names the
inspectors (at least two, each holding quality.inspect over the case); each scores it through
`inspections.score` on the same scorecard version; the page shows the spread. Never published."""

from django.db import transaction

from kefu.cases.models import Case
from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound
from kefu.org import access
from kefu.org.models import Employee
from kefu.quality.models import Calibration, Inspection, Origin
from kefu.quality.queries import inspections as inspection_queries
from kefu.quality.queries import scorecards as card_queries

INSPECT = "quality.inspect"
MIN_INSPECTORS = 2  # a calibration compares at least two inspectors (definition, not policy)


def open_session(actor: Actor, case: Case, *, inspectors: list[Employee], title: str = "") -> Calibration:
    access.require(actor, INSPECT)
    if not access.record_in_scope(actor, INSPECT, unit=case.unit, owner_id=None):
        raise NotFound("工单", "case")
    if case.owner_id is None:
        raise Invalid("quality_calibration_owner", "该工单没有处理人，不能校准", "The case has no owner")
    people = {p.pk: p for p in inspectors}
    allowed = {p.pk for p in inspection_queries.inspectors_for(case.unit)}
    if len(people) < MIN_INSPECTORS or not set(people) <= allowed or case.owner_id in people:
        raise Invalid(
            "quality_calibration_inspectors",
            "请选择至少两名有权质检该工单的质检员（不含处理人本人）",
            "Choose at least two inspectors who may inspect this case (not its owner)",
            {"inspectors": "invalid"},
        )
    card = card_queries.current_for(case.unit)
    me = access.employee_of(actor.principal)
    now = clock.now()
    with transaction.atomic():
        session = Calibration.objects.create(
            case=case,
            unit=case.unit,
            scorecard=card,
            title=(title or "").strip()[:200] or f"校准：{case.number}",
            created_by=me,
            created_at=now,
        )
        Inspection.objects.bulk_create(
            [
                Inspection(
                    case=case,
                    unit=case.unit,
                    agent_id=case.owner_id,
                    inspector=p,
                    scorecard=card,
                    calibration=session,
                    origin=Origin.CALIBRATION,
                    assigned_at=now,
                )
                for p in sorted(people.values(), key=lambda e: e.number)
            ]
        )
        audit.record(
            actor, "quality.calibration.open", session, after={"case": case.pk, "inspectors": sorted(people)}
        )
    return session
