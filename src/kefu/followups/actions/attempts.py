"""Revisit attempts (FUP-1, FUP-2): one line of 《回访记录表》 each, and what its outcome does.

满意: the task ends 已回访 and the case closes on the customer's answer (source: revisit).
不满意: the customer's words are kept; the case is reopened, or a linked follow-up case is opened.
无法联系: the next try is due after `followups.unreachable_retry_after`; after the first try and
`followups.unreachable_retries` retries the task ends 未回访 and the case closes as 未回访 (source:
unreachable — never counted as satisfied).
FUP-2: an attempt outside the customer's contact window, or to a third party when the customer asked
for none, is refused with the rule.
"""

from django.db import transaction

from kefu.cases import actions as case_actions
from kefu.cases.models import CaseState, SatisfactionSource
from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, NotFound
from kefu.engine.outbound import windows
from kefu.engine.policy import api as policy
from kefu.engine.workflow import api as workflow
from kefu.followups.actions import outcomes, surveys
from kefu.followups.actions.tasks import in_window, start_timer
from kefu.followups.lifecycle import ARRIVAL_DUE, DUE, PERIODIC_DUE, RETRY
from kefu.followups.models import Outcome, RevisitAttempt, RevisitTask, TaskState
from kefu.org.access import employee_of, write_in_scope

HANDLE = "revisit.handle"
FOLLOW_UPS = ("reopen", "new_case")
WAITING = (CaseState.INFORMED, CaseState.REVISIT)  # answered, waiting for the customer's verdict


def check_contact(customer, at, *, third_party: bool) -> None:
    """FUP-2: outbound contact only inside the customer's window and never to a third party when the
    customer asked for none."""
    if customer is None:
        return
    if third_party and customer.no_third_party_contact:
        raise Invalid(
            "FUP-2.third_party",
            "该客户要求不得联系第三方，不能记录对第三方的回访（FUP-2）",
            "The customer asked that no third party be contacted: this attempt is refused (FUP-2)",
            {"third_party": "refused"},
        )
    # the outbound gateway's reading of the window (engine.outbound.windows): one reading of FUP-2
    inside = windows.opens_at(customer.contact_window, at) == at
    if not inside:
        raise Invalid(
            "FUP-2.contact_window",
            f"回访时间不在客户的联系时段（{customer.contact_window}）内，不能记录（FUP-2）",
            f"The attempt is outside the customer's contact window ({customer.contact_window}) (FUP-2)",
            {"at": "outside_window"},
        )


def _task(actor: Actor, task: RevisitTask) -> RevisitTask:
    task = (
        RevisitTask.objects.select_for_update(of=("self",))
        .select_related("unit", "case", "case__customer", "customer")
        .get(pk=task.pk)
    )
    if not write_in_scope(actor, HANDLE, unit=task.unit, owner_id=task.assignee_id):
        raise NotFound("回访任务", "revisit task")
    if task.state != TaskState.OPEN:
        raise Conflict("followups_task_ended", "该回访已结束", "This revisit has ended")
    return task


def record(
    actor: Actor,
    task: RevisitTask,
    *,
    outcome: str,
    at=None,
    method: str = RevisitAttempt.Method.PHONE,
    third_party: bool = False,
    words: str = "",
    follow_up: str = "reopen",
) -> RevisitAttempt:
    """Record one attempt of the revisit `task` and act on its outcome (FUP-1, FUP-2)."""
    now = clock.now()
    at = at or now
    if outcome not in Outcome.values:
        raise Invalid("followups_outcome", "请选择回访结果", "Choose the outcome", {"outcome": "invalid"})
    if method not in RevisitAttempt.Method.values:
        raise Invalid("followups_method", "请选择回访方式", "Choose how you called", {"method": "invalid"})
    if at > now:
        raise Invalid(
            "followups_at_future",
            "回访时间不能晚于现在",
            "The attempt cannot be in the future",
            {"at": "future"},
        )
    words = (words or "").strip()
    if outcome == Outcome.UNSATISFIED:
        if not words:
            raise Invalid(
                "followups_words_required",
                "客户不满意时请记录客户的原话",
                "Record the customer's words when they are not satisfied",
                {"words": "required"},
            )
        if follow_up not in FOLLOW_UPS:
            raise Invalid(
                "followups_follow_up", "请选择后续处理方式", "Choose what follows", {"follow_up": "invalid"}
            )
    by = employee_of(actor.user)
    if by is None:
        raise Invalid("followups_no_employee", "只有员工可以记录回访", "Only staff record revisits")
    with transaction.atomic():
        task = _task(actor, task)
        check_contact(
            task.customer or (task.case.customer if task.case_id else None), at, third_party=third_party
        )
        attempt = RevisitAttempt.objects.create(
            task=task,
            at=at,
            method=method,
            third_party=third_party,
            outcome=outcome,
            words=words,
            by=by,
            recorded_at=now,
        )
        audit.record(
            actor,
            "followups.attempt.record",
            task,
            after={"revisit_outcome": outcome, "revisit_method": method, "third_party": third_party},
        )
        if outcome == Outcome.UNREACHABLE:
            _unreachable(actor, task, at, now)
        else:
            if task.case_id is not None:  # CSAT-1: the revisit answer is the case's survey answer
                surveys.from_revisit(
                    actor, task.case, satisfied=outcome == Outcome.SATISFIED, words=words, by=by
                )
            _answered(actor, task, outcome, words, follow_up, now)
    return attempt


def _end(task: RevisitTask, state: str, outcome: str, now) -> None:
    task.state, task.outcome, task.ended_at, task.next_try_at = state, outcome, now, None
    task.save(update_fields=["state", "outcome", "ended_at", "next_try_at", "follow_up_case"])
    workflow.stop(task, [DUE.name, RETRY.name, PERIODIC_DUE.name, ARRIVAL_DUE.name])


def _answered(actor: Actor, task: RevisitTask, outcome: str, words: str, follow_up: str, now) -> None:
    case = task.case
    if outcome == Outcome.SATISFIED:
        _end(task, TaskState.DONE, outcome, now)
        if case is not None and case.state in WAITING:
            case_actions.act(
                actor,
                case,
                "close",
                data={"satisfied": True, "satisfaction_source": SatisfactionSource.REVISIT},
            )
        return
    if case is not None:
        task.follow_up_case = outcomes.unsatisfied(
            actor,
            case,
            words,
            reason=f"回访客户不满意：{words}",
            title=f"回访不满意：{case.title}",
            follow_up=follow_up,
        )
    _end(task, TaskState.DONE, outcome, now)


def _unreachable(actor: Actor, task: RevisitTask, at, now) -> None:
    retries = policy.lookup("followups.unreachable_retries", at=task.created_at, unit=task.unit)
    task.unreachable_count += 1
    if task.unreachable_count <= int(retries.value):
        wait = policy.lookup("followups.unreachable_retry_after", at=task.created_at, unit=task.unit)
        # FUP-2: the next try waits for the customer's contact window
        customer = task.customer or (task.case.customer if task.case_id else None)
        task.next_try_at = task.due_at = in_window(customer, wait.due(at))
        task.save(update_fields=["unreachable_count", "next_try_at", "due_at"])
        workflow.stop(task, [DUE.name, PERIODIC_DUE.name, ARRIVAL_DUE.name])
        start_timer(task, RETRY, unit=task.unit, at=at, fresh=False)  # a running retry is replaced
        decisions.record_from_entry(
            task,
            wait,
            outcome=f"第 {task.unreachable_count} 次无法联系，安排再次回访",
            inputs={"revisit_tries": task.unreachable_count, "revisit_retries": int(retries.value)},
            actor=actor,
        )
        return
    task.save(update_fields=["unreachable_count"])
    _end(task, TaskState.UNREACHED, Outcome.UNREACHABLE, now)
    decisions.record_from_entry(
        task,
        retries,
        outcome="多次无法联系，回访结束：未回访（不计为满意）",
        inputs={"revisit_tries": task.unreachable_count},
        actor=actor,
    )
    case = task.case
    if case is not None and case.state in WAITING:
        case_actions.act(actor, case, "close", data={"satisfaction_source": SatisfactionSource.UNREACHABLE})
