"""SLA-1 "一通电话三环内接听" [001 · 公司客服部的规章制度]: how soon each incoming call was answered.

The project has no telephony of its own: a call reaches it as a record — imported from the call log
of the telephony system (`import_log`, one row per call, each linked to its case by number), or,
where there is no log, recorded by the agent at the first response (`record_rings`, once per case).
Each call is judged against `sla.phone_rings` (3) at the version in force when it rang: answered
within that many rings, or a breach. Every verdict is a decision record on the case ("为什么"), and
breaches are counted (`queries/calls.summary`; a case with a log counts its log, not the agent's
own record).
"""

from datetime import datetime

from django.db import IntegrityError, transaction

from kefu.cases.actions import blocks
from kefu.cases.models import CallRecord, CallSource, Case, Channel
from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, PermissionDenied
from kefu.engine.policy import api as policy
from kefu.org import access

RULE_KEY = "sla.phone_rings"
RINGS_MAX = 32767  # the column's range: a count beyond it is a typing error, not a call


def _phone(case: Case) -> None:
    if case.channel != Channel.PHONE:
        raise Invalid(
            "case_call_not_phone",
            "只有电话渠道的工单才记录来电接听（SLA-1）",
            "Only a case received by phone has calls to record (SLA-1)",
            {"case": "not_phone"},
        )


def _rings(value) -> int:
    try:
        rings = int(value)
    except (TypeError, ValueError):
        rings = -1
    if not 0 <= rings <= RINGS_MAX:
        raise Invalid(
            "case_call_rings_invalid",
            "响铃次数须为不小于 0 的整数",
            "The ring count must be a whole number of at least 0",
            {"rings": "invalid"},
        )
    return rings


def _save(
    actor: Actor,
    case: Case,
    *,
    source: str,
    rang_at: datetime,
    answered_at,
    rings: int,
    call_id="",
    agent=None,
) -> CallRecord:
    entry = policy.lookup(RULE_KEY, at=rang_at, unit=case.unit)
    limit = int(entry.value)
    within = answered_at is not None and rings <= limit
    row = CallRecord.objects.create(
        case=case,
        source=source,
        call_id=call_id,
        rang_at=rang_at,
        answered_at=answered_at,
        rings=rings,
        agent=agent,
        within=within,
        policy_version=entry.version,
        recorded_at=clock.now(),
        recorded_by=actor.user,
    )
    if answered_at is None:
        verdict = f"来电未接听 → 未达标（{limit} 声内接听）"
    elif within:
        verdict = f"来电响铃 {rings} 声后接听 → 达标（{limit} 声内接听）"
    else:
        verdict = f"来电响铃 {rings} 声后才接听 → 未达标，已记入超时（{limit} 声内接听）"
    decisions.record_from_entry(
        case,
        entry,
        outcome=verdict,
        inputs={"rings": rings, "answered": answered_at is not None, "source": source, "call": row.pk},
        actor=None if actor.is_system else actor,
    )
    audit.record(
        actor,
        "cases.call_record",
        case,
        after={"call": row.pk, "source": source, "rings": rings, "within": within},
    )
    return row


def record_rings(actor: Actor, case: Case, rings, *, answered: bool = True) -> CallRecord:
    """The agent's own record of the call that brought the case, at the first response — only where
    the telephony log has no call of the case; once per case."""
    blocks.require_handler(actor, case, "记录来电响铃次数", "record the call's rings")
    _phone(case)
    rings = _rings(rings)
    if case.calls.filter(source=CallSource.LOG).exists():
        raise Conflict(
            "case_call_logged",
            "话务系统已有本工单的来电记录，以系统记录为准",
            "The telephony log already has this case's call; it is the record",
        )
    at = case.received_at
    try:
        with transaction.atomic():
            return _save(
                actor,
                case,
                source=CallSource.AGENT,
                rang_at=at,
                answered_at=at if answered else None,
                rings=rings,
                agent=access.employee_of(actor.principal) if actor.principal is not None else None,
            )
    except IntegrityError:
        raise Conflict(
            "case_call_recorded", "本工单已记录来电响铃次数", "The call's rings are already recorded"
        ) from None


def import_log(actor: Actor, rows: list[dict]) -> dict:
    """Calls from the telephony system's log: each row {case, call_id, rang_at, answered_at, rings,
    agent}; `case` already read in the caller's scope. All or nothing; a call imported before is
    skipped. Needs `case.handle` over every case named."""
    calls = []
    for index, row in enumerate(rows):
        case = row["case"]
        if not access.record_in_scope(actor, "case.handle", unit=case.unit, owner_id=case.owner_id):
            raise PermissionDenied(
                "您无权为该工单导入通话记录",
                "You may not import calls of this case",
                code="case_call_forbidden",
            )
        _phone(case)
        call_id = blocks.text(row.get("call_id"), "call_id", required=True, limit=100)
        rang_at, answered_at = row["rang_at"], row.get("answered_at")
        if answered_at is not None and answered_at < rang_at:
            raise Invalid(
                "case_call_times",
                f"第 {index + 1} 行：接听时间早于来电时间",
                f"Row {index + 1}: answered before it rang",
                {"answered_at": "invalid"},
            )
        calls.append({**row, "call_id": call_id, "rings": _rings(row.get("rings"))})
    known = set(
        CallRecord.objects.filter(
            source=CallSource.LOG, call_id__in=[c["call_id"] for c in calls]
        ).values_list("call_id", flat=True)
    )
    try:
        with transaction.atomic():
            made = _import(actor, calls, known)
    except IntegrityError:  # the same call imported at the same moment by another request
        raise Conflict(
            "case_call_import_race",
            "同一通话正被另一次导入写入，请稍后重试",
            "The same call is being imported by another request; try again",
        ) from None
    return {
        "imported": len(made),
        "skipped": len(calls) - len(made),
        "breaches": sum(1 for r in made if not r.within),
    }


def _import(actor: Actor, calls: list[dict], known: set) -> list[CallRecord]:
    made = []
    for call in calls:
        if call["call_id"] in known:
            continue
        known.add(call["call_id"])
        made.append(
            _save(
                actor,
                call["case"],
                source=CallSource.LOG,
                call_id=call["call_id"],
                rang_at=call["rang_at"],
                answered_at=call.get("answered_at"),
                rings=call["rings"],
                agent=call.get("agent"),
            )
        )
    return made
