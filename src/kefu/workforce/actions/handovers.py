"""Handover (HO-1): the only code that writes handovers.

A rest handover opens from the published rota half an hour before the end of a shift (`open_due`, a
worker job; "下班前半小时", pack entry handover.before_shift_end); a temporary one is opened by the
leaver 10–30 minutes before leaving (handover.temporary_min_ahead / _max_ahead). Its items — the
leaver's open cases, open revisit tasks and running clocks — are listed automatically. Both parties
confirm; when both have, each case changes owner through the cases transfer action and each revisit
task through the followups action (audited; the clocks stay on the case, untouched). A handover not
confirmed by both when the leaver leaves flags both (`flag_uncovered`, decision + notification +
liability of both). A supervisor records liability afterwards: an omission is the leaver's, a
mistake in taking over the receiver's.

The transfers run as the leaver (`actor_for(leaver)`): the leaver's confirmation is their consent to
hand over exactly the listed items, and the cases action lets only the owner or a supervisor move a
case — the receiver's confirmation, when it comes last, completes what the leaver agreed to.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse

from kefu.cases.actions import routing as case_routing
from kefu.cases.models import Case
from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound, PermissionDenied
from kefu.engine.notifications.api import notify
from kefu.engine.policy import api as policy
from kefu.followups.actions import tasks as revisit_tasks
from kefu.followups.models import RevisitTask
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus
from kefu.workforce.models import (
    Handover,
    HandoverItem,
    HandoverKind,
    HandoverLiability,
    HandoverState,
    ItemKind,
    LiabilityKind,
    RotaShift,
)
from kefu.workforce.queries import handovers as queries

BEFORE_END = "handover.before_shift_end"
MIN_AHEAD = "handover.temporary_min_ahead"
MAX_AHEAD = "handover.temporary_max_ahead"
MANAGE = "attendance.manage"


def _minutes(key: str, at, unit) -> timedelta:
    return policy.lookup(key, at=at, unit=unit).duration()


def _link(handover: Handover) -> str:
    return reverse("workforce:handover", args=[handover.pk])


def _list_items(handover: Handover) -> list[HandoverItem]:
    rows = [HandoverItem(handover=handover, **item) for item in queries.open_work(handover.leaver)]
    HandoverItem.objects.bulk_create(rows, ignore_conflicts=True)
    return rows


def _tell_opened(handover: Handover, count: int) -> None:
    people = [p.user for p in (handover.leaver, handover.receiver) if p is not None and p.user_id]
    notify(
        people,
        "workforce.handover_opened",
        {"leaver": handover.leaver.name, "leaves_at": clock.local(handover.leaves_at), "items": count},
        obj=handover,
        link=_link(handover),
        channels=("inbox",),
    )


def open_rest(shift: RotaShift, *, now=None) -> Handover | None:
    """HO-1: the rest handover of a published shift, opened half an hour before its end; None when it
    is already open (one per shift, enforced by the database)."""
    now = now or clock.now()
    entry = policy.lookup(BEFORE_END, at=now, unit=shift.employee.unit)
    try:
        with transaction.atomic():
            handover = Handover.objects.create(
                kind=HandoverKind.REST,
                unit=shift.employee.unit,
                leaver=shift.employee,
                shift=shift,
                leaves_at=shift.ends_at,
                opened_at=now,
            )
            rows = _list_items(handover)
            decisions.record_from_entry(
                handover,
                entry,
                outcome=f"按已发布排班开启{shift.employee.name}的休息交接（待交接 {len(rows)} 项）",
                inputs={"shift_ends_at": clock.local(shift.ends_at).strftime("%Y-%m-%d %H:%M")},
            )
            audit.record(
                Actor.system("handover"), "workforce.handover.open", handover, after={"item_count": len(rows)}
            )
            _tell_opened(handover, len(rows))
    except IntegrityError:
        return None
    return handover


def open_due(now=None) -> int:
    """The worker's sweep: open every rest handover that is due (HO-1). Returns how many opened."""
    now = now or clock.now()
    before = _minutes(BEFORE_END, now, None)
    return sum(1 for shift in queries.due_rest_shifts(now, before) if open_rest(shift, now=now))


def _receiver_for(leaver: Employee, receiver: Employee | None) -> Employee | None:
    if receiver is None:
        return None
    if receiver.pk == leaver.pk:
        raise Invalid(
            "handover_receiver_self",
            "接班人不能是交班人本人",
            "The receiver cannot be the leaver",
            {"receiver": "self"},
        )
    subsidiary = policy.subsidiary_of(leaver.unit)
    same = receiver.unit.path.startswith(subsidiary.path if subsidiary else leaver.unit.path)
    if receiver.status != EmploymentStatus.ACTIVE or not same:
        raise Invalid(
            "handover_receiver_unknown",
            "接班人不存在或已离职",
            "No such active colleague",
            {"receiver": "unknown"},
        )
    return receiver


def open_temporary(actor: Actor, *, leaves_at, receiver: Employee | None = None, note: str = "") -> Handover:
    """HO-1: the leaver opens a temporary handover 10–30 minutes before leaving the post (pack)."""
    me = access.employee_of(actor.principal)
    if me is None:
        raise PermissionDenied(
            "只有员工可以发起交接", "Only an employee hands over", code="handover_forbidden"
        )
    now = clock.now()
    low, high = _minutes(MIN_AHEAD, now, me.unit), _minutes(MAX_AHEAD, now, me.unit)
    ahead = leaves_at - now
    if not low <= ahead <= high:
        raise Invalid(
            "handover_ahead",
            f"临时交接须提前 {low.seconds // 60}–{high.seconds // 60} 分钟发起（HO-1）",
            f"A temporary handover is opened {low.seconds // 60}–{high.seconds // 60} minutes ahead (HO-1)",
            {"leaves_at": "out_of_range"},
        )
    receiver = _receiver_for(me, receiver)
    with transaction.atomic():
        handover = Handover.objects.create(
            kind=HandoverKind.TEMPORARY,
            unit=me.unit,
            leaver=me,
            receiver=receiver,
            leaves_at=leaves_at,
            opened_at=now,
            note=(note or "").strip()[:1000],
        )
        rows = _list_items(handover)
        decisions.record_from_entry(
            handover,
            policy.lookup(MIN_AHEAD, at=now, unit=me.unit),
            outcome=f"临时交接提前 {int(ahead.total_seconds() // 60)} 分钟发起，待交接 {len(rows)} 项",
            inputs={"minutes_ahead": int(ahead.total_seconds() // 60)},
            actor=actor,
        )
        audit.record(
            actor, "workforce.handover.open", handover, after={"item_count": len(rows), "kind": "temporary"}
        )
        _tell_opened(handover, len(rows))
    return handover


def _locked(handover: Handover) -> Handover:
    return (
        Handover.objects.select_for_update(of=("self",))
        .select_related("leaver__user", "leaver__unit", "receiver__user", "receiver__unit", "unit")
        .get(pk=handover.pk)
    )


def confirm(actor: Actor, handover: Handover, *, receiver: Employee | None = None) -> Handover:
    """HO-1: the leaver or the receiver confirms (the leaver may name the receiver of a rest handover
    first). When both have confirmed, the items change hands."""
    me = access.employee_of(actor.principal)
    with transaction.atomic():
        handover = _locked(handover)
        if me is None or me.pk not in (handover.leaver_id, handover.receiver_id):
            raise NotFound("交接", "handover")
        if handover.state != HandoverState.OPEN:
            raise Invalid("handover_closed", "交接已结束", "The handover is over")
        now = clock.now()
        if receiver is not None and me.pk == handover.leaver_id and handover.receiver_confirmed_at is None:
            handover.receiver = _receiver_for(handover.leaver, receiver)
        if handover.receiver_id is None:
            raise Invalid(
                "handover_no_receiver", "请先指定接班人", "Name the receiver first", {"receiver": "required"}
            )
        side = "leaver" if me.pk == handover.leaver_id else "receiver"
        if side == "leaver":
            handover.leaver_confirmed_at = now
        else:
            handover.receiver_confirmed_at = now
        if handover.leaver_confirmed_at and handover.receiver_confirmed_at:
            _carry(handover, now)
        handover.save(
            update_fields=["receiver", "leaver_confirmed_at", "receiver_confirmed_at", "state", "done_at"]
        )
        audit.record(actor, f"workforce.handover.confirm_{side}", handover, after={"state": handover.state})
    return handover


def _carry(handover: Handover, now) -> None:
    """Both confirmed: each listed case and revisit task goes to the receiver through its own app's
    action (audited there); the clocks stay on their cases and keep running."""
    leaver_actor = access.actor_for(handover.leaver.user, origin=f"handover {handover.pk}")
    reason = f"交接班（HO-1）交给{handover.receiver.name}"
    items = list(handover.items.filter(carried=False))
    case_ids = [i.object_id for i in items if i.kind == ItemKind.CASE]
    task_ids = [i.object_id for i in items if i.kind == ItemKind.REVISIT]
    for case in Case.objects.filter(pk__in=case_ids, owner=handover.leaver).select_related("unit"):
        case_routing.transfer(leaver_actor, case, reason=reason, to_owner=handover.receiver)
    for task in RevisitTask.objects.filter(pk__in=task_ids, assignee=handover.leaver):
        revisit_tasks.hand_over_at_shift(leaver_actor, task, handover.receiver, reason=reason)
    handover.items.filter(carried=False).update(carried=True)
    handover.state, handover.done_at = HandoverState.DONE, now


def flag_uncovered(now=None) -> int:
    """HO-1: a handover not confirmed by both when the leaver left: the post was uncovered — both are
    liable (decision record, liability rows, notification). Returns how many were flagged."""
    now = now or clock.now()
    flagged = 0
    for handover in queries.open_overdue(now):
        with transaction.atomic():
            handover = _locked(handover)
            if handover.state != HandoverState.OPEN:
                continue
            handover.state = HandoverState.UNCOVERED
            handover.save(update_fields=["state"])
            parties = [p for p in (handover.leaver, handover.receiver) if p is not None]
            HandoverLiability.objects.bulk_create(
                [
                    HandoverLiability(
                        handover=handover,
                        employee=p,
                        kind=LiabilityKind.UNCOVERED,
                        note="离岗时交接未经双方确认",
                        recorded_at=now,
                    )
                    for p in parties
                ]
            )
            decisions.record(
                handover,
                rule="HO-1",
                outcome="离岗时交接未经双方确认：空岗，交接双方均记责任",
                inputs={
                    "leaver_confirmed": bool(handover.leaver_confirmed_at),
                    "receiver_confirmed": bool(handover.receiver_confirmed_at),
                },
                policy_version=None,
                clause="",
                source="001 · 客服部门机制方案初稿",
            )
            audit.record(Actor.system("handover"), "workforce.handover.uncovered", handover)
            notify(
                [p.user for p in parties if p.user_id],
                "workforce.handover_uncovered",
                {"leaver": handover.leaver.name, "leaves_at": clock.local(handover.leaves_at)},
                obj=handover,
                link=_link(handover),
                channels=("inbox",),
            )
            flagged += 1
    return flagged


def record_liability(actor: Actor, handover: Handover, *, kind: str, note: str) -> HandoverLiability:
    """HO-1: a supervisor records what went wrong — an omission is the leaver's, a mistake in taking
    over the receiver's."""
    if not access.record_in_scope(
        actor, MANAGE, unit=handover.unit, owner_id=None
    ) and not access.record_in_scope(actor, "case.manage", unit=handover.unit, owner_id=None):
        raise PermissionDenied(
            "只有主管可以记录交接责任",
            "Only a supervisor records liability",
            code="handover_liability_forbidden",
        )
    note = (note or "").strip()
    if kind not in (LiabilityKind.OMISSION, LiabilityKind.TAKEOVER):
        raise Invalid(
            "handover_liability_kind", "请选择责任类型", "Choose the kind of liability", {"kind": "invalid"}
        )
    if not note:
        raise Invalid(
            "handover_liability_note", "请说明责任情况", "Describe what went wrong", {"note": "required"}
        )
    who = handover.leaver if kind == LiabilityKind.OMISSION else handover.receiver
    if who is None:
        raise Invalid(
            "handover_no_receiver",
            "此交接没有接班人",
            "The handover has no receiver",
            {"kind": "no_receiver"},
        )
    with transaction.atomic():
        row = HandoverLiability.objects.create(
            handover=handover,
            employee=who,
            kind=kind,
            note=note[:1000],
            recorded_at=clock.now(),
            recorded_by=actor.user,
        )
        audit.record(
            actor, "workforce.handover.liability", handover, after={"employee": who.pk, "kind": kind}
        )
    return row
