"""Cross-department 报备 of a case (CASE-8); the declared lifecycle is in `cases/lifecycle_handoffs.py`.

The case's owner sends the matter to another department, which acknowledges within
`cases.handoff_ack_within`, may ask for clarification (the sender answers), gives a solution or —
when it cannot soon — the reason and an expected time, which the customer is told at once through
a public reply on the case ("客服部门应及时将反馈结果及处理时间告知客户"), and closes with a closure report.
"""

from datetime import datetime

from django.db import transaction

from kefu.cases.actions import blocks, promises
from kefu.cases.lifecycle_handoffs import ACKNOWLEDGE, receivers
from kefu.cases.models import Case, Handoff, HandoffState
from kefu.cases.queries import routing
from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, PermissionDenied
from kefu.engine.notifications.api import notify
from kefu.engine.workflow import api as workflow
from kefu.org import access
from kefu.org.models import Unit


def _tell(people, template: str, handoff: Handoff, **context) -> None:
    notify(people, template, {"handoff": handoff, "case": handoff.case, **context}, obj=handoff)


def send(actor: Actor, case: Case, unit: Unit, request: str) -> Handoff:
    """The case's owner (or a supervisor) reports the matter to another department (CASE-8 §3.1)."""
    blocks.require_handler(actor, case, "发起跨部门报备", "report the case to another department")
    request = blocks.text(request, "request", required=True)
    if (
        not isinstance(unit, Unit)
        or unit.pk == case.unit_id
        or not unit.is_active
        or not routing.within_reach(actor, case.unit, unit)  # issue 10: not into another subsidiary
    ):
        raise Invalid(
            "case_handoff_unit",
            "请选择另一个部门接收报备",
            "Choose another department to receive the report",
            {"unit": "invalid"},
        )
    if case.state in blocks.FINISHED:
        raise Conflict(
            "case_finished", "工单已结案或归档", "The case is closed or archived", state=case.state
        )
    with transaction.atomic():
        now = clock.now()
        handoff = Handoff(
            case=case, from_unit=case.unit, unit=unit, request=request, sent_at=now, sent_by=actor.user
        )
        people = receivers(handoff)
        if not people:
            raise Invalid(
                "case_handoff_nobody",
                f"「{unit.name}」没有可以受理报备的人员",
                f"Nobody in “{unit.name}” can receive the report",
                {"unit": "nobody"},
            )
        handoff.save()
        workflow.start(handoff, ACKNOWLEDGE, unit=unit, at=now)
        audit.record(actor, "cases.handoff_send", case, after={"handoff": handoff.pk, "unit": unit.pk})
        _tell(people, "cases.handoff_sent", handoff)
    return handoff


def _move(actor: Actor, handoff: Handoff, name: str, data: dict | None = None) -> Handoff:
    return workflow.transition(actor, handoff, name, data=data or {})


def acknowledge(actor: Actor, handoff: Handoff) -> Handoff:
    """确认收到 (§3.2): stops the acknowledgement clock; the acknowledger becomes the handoff's owner."""
    with transaction.atomic():
        handoff = _move(actor, handoff, "acknowledge")
        employee = access.employee_of(actor.principal)
        if handoff.owner_id is None and employee is not None:
            Handoff.objects.filter(pk=handoff.pk).update(owner=employee)
            handoff.owner = employee
        _tell([handoff.sent_by] if handoff.sent_by_id else [], "cases.handoff_update", handoff)
    return handoff


def ask_clarification(actor: Actor, handoff: Handoff, question: str) -> Handoff:
    """The receiving department asks the sender to complete or clarify the report (§3.2)."""
    with transaction.atomic():
        handoff = _move(
            actor, handoff, "clarify", {"question": blocks.text(question, "question", required=True)}
        )
        _tell([handoff.sent_by] if handoff.sent_by_id else [], "cases.handoff_update", handoff)
    return handoff


def answer_clarification(actor: Actor, handoff: Handoff, clarification: str) -> Handoff:
    """The sender — the one who sent it, the case's owner or a supervisor of the case — answers."""
    case = handoff.case
    sender = actor.user is not None and handoff.sent_by_id == actor.user.pk
    if not (sender or blocks.is_owner(actor, case) or blocks.manages(actor, case)):
        raise PermissionDenied(
            "只有报备的发起人可以补充说明",
            "Only the sender answers the clarification",
            code="case_handoff_sender",
        )
    with transaction.atomic():
        text = blocks.text(clarification, "clarification", required=True)
        handoff = _move(actor, handoff, "answer", {"clarification": text})
        _tell(receivers(handoff), "cases.handoff_update", handoff)
    return handoff


def solve(actor: Actor, handoff: Handoff, solution: str) -> Handoff:
    """处理方案 (§3.3): the case's owner is told and informs the customer through the case."""
    with transaction.atomic():
        handoff = _move(
            actor, handoff, "solve", {"solution": blocks.text(solution, "solution", required=True)}
        )
        promises.kept(handoff.case)  # CASE-8: the expected time told to the customer is kept
        _tell(_case_people(handoff), "cases.handoff_update", handoff)
    return handoff


def _expected(value) -> datetime:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            value = None
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=clock.zone())
    if not isinstance(value, datetime) or value <= clock.now():
        raise Invalid(
            "case_expected_at_invalid",
            "预计处理时间须为将来的时间",
            "The expected time must be in the future",
            {"expected_at": "invalid"},
        )
    return value


def customer_notice(handoff: Handoff, *, again: bool = False) -> str:
    """What the customer is told when the department cannot solve it soon (CASE-8 §3.3); `again`:
    the time told before has passed and this is the new one."""
    when = clock.local(handoff.expected_at).strftime("%Y-%m-%d %H:%M")
    if again:
        return (
            f"您好，很抱歉，您反映的问题未能在原定时间内处理完毕。{handoff.unit.name}说明的原因：{handoff.reason}。"
            f"新的预计处理时间：{when}（北京时间）。我们会及时告知您处理结果。\n"
            f"We are sorry: your matter was not handled by the time we gave. Reason given by "
            f"{handoff.unit.name}: {handoff.reason}. New expected time: {when} (Beijing time)."
        )
    return (
        f"您好，您反映的问题已由{handoff.unit.name}处理，暂时无法立即解决。原因：{handoff.reason}。"
        f"预计处理时间：{when}（北京时间）。我们会及时告知您处理结果。\n"
        f"Your matter is being handled by {handoff.unit.name} and cannot be solved at once. "
        f"Reason: {handoff.reason}. Expected by {when} (Beijing time). We will keep you informed."
    )


def defer(actor: Actor, handoff: Handoff, reason: str, expected_at) -> Handoff:
    """The reason and an expected time (§3.3), told to the customer at once as a public reply; the
    time is the case's `expected` clock from then on (`promises`). Given again — the time passed, or
    it moves — the customer is told the new time."""
    data = {"reason": blocks.text(reason, "reason", required=True), "expected_at": _expected(expected_at)}
    with transaction.atomic():
        handoff = _move(actor, handoff, "defer", data)
        again = promises.missed_before(handoff.case)
        blocks.comment(
            actor, handoff.case, customer_notice(handoff, again=again), public=True, authorised=True
        )
        promises.promise(actor, handoff.case, handoff.expected_at, handoff=handoff)
        _tell(_case_people(handoff), "cases.handoff_update", handoff)
    return handoff


def close(actor: Actor, handoff: Handoff, report: str) -> Handoff:
    """结案报告 (§3.4): the receiving department sums up the handling and its result."""
    with transaction.atomic():
        handoff = _move(actor, handoff, "close", {"report": blocks.text(report, "report", required=True)})
        _tell(_case_people(handoff), "cases.handoff_update", handoff)
    return handoff


def _case_people(handoff: Handoff) -> list:
    people = [handoff.case.owner.user] if handoff.case.owner_id else []
    if handoff.sent_by_id:
        people.append(handoff.sent_by)
    return list(dict.fromkeys(people))


OPEN = (HandoffState.SENT, HandoffState.ACKNOWLEDGED, HandoffState.CLARIFYING, HandoffState.DEFERRED)
