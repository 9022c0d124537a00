"""Change and swap requests (WFM-1, 排班调整): a person asks to give a shift to a colleague or to swap
with one of theirs; the 排班管理员 or the team lead (rota.manage over the team) approves, and the rota
shifts change here, audited, both people notified."""

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, NotFound
from kefu.engine.notifications.api import notify
from kefu.org import access
from kefu.org.models import Employee
from kefu.workforce.actions.shifts import require_rest, require_team
from kefu.workforce.models import ChangeKind, ChangeState, RotaShift, RotaState, ShiftChange

OPEN_ROTAS = (RotaState.FINAL, RotaState.PUBLISHED)


def request(
    actor: Actor,
    shift: RotaShift,
    colleague: Employee,
    *,
    reason: str,
    their_shift: RotaShift | None = None,
) -> ShiftChange:
    """Ask to hand `shift` (one's own) to `colleague`, or to swap it for `their_shift` (theirs)."""
    me = access.employee_of(actor.user)
    if me is None or shift.employee_id != me.pk:
        raise NotFound("班次", "shift")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("workforce_change_reason", "请填写调班原因", "Give the reason", {"reason": "required"})
    if colleague.pk == me.pk or colleague.unit_id != shift.rota.unit_id:
        raise Invalid(
            "workforce_change_colleague",
            "请选择本班组的其他同事",
            "Choose a colleague of the team",
            {"colleague": "invalid"},
        )
    if their_shift is not None and (
        their_shift.employee_id != colleague.pk or their_shift.rota_id != shift.rota_id
    ):
        raise Invalid(
            "workforce_change_their_shift",
            "对方班次无效",
            "Invalid colleague's shift",
            {"their_shift": "invalid"},
        )
    if shift.rota.state not in OPEN_ROTAS or shift.starts_at <= clock.now():
        raise Conflict("workforce_change_closed", "该班次已不能调整", "This shift can no longer be changed")
    with transaction.atomic():
        change = ShiftChange.objects.create(
            kind=ChangeKind.SWAP if their_shift else ChangeKind.HANDOFF,
            shift=shift,
            their_shift=their_shift,
            requester=me,
            colleague=colleague,
            reason=reason[:300],
            created_at=clock.now(),
        )
        audit.record(
            actor,
            "workforce.change.request",
            change,
            after={
                "change_kind": change.kind,
                "change_shift": shift.pk,
                "their_shift": getattr(their_shift, "pk", None),
            },
        )
    return change


def decide(actor: Actor, change: ShiftChange, *, approve: bool) -> ShiftChange:
    """Approve (the shifts change hands) or reject a pending request."""
    require_team(actor, change.shift.rota.unit)
    with transaction.atomic():
        change = (
            ShiftChange.objects.select_for_update(of=("self",))
            .select_related("shift", "their_shift", "requester__user", "colleague__user")
            .get(pk=change.pk)
        )
        if change.state != ChangeState.PENDING:
            raise Conflict("workforce_change_decided", "该调班申请已处理", "The request is already decided")
        change.state = ChangeState.APPROVED if approve else ChangeState.REJECTED
        change.decided_at, change.decided_by = clock.now(), actor.user
        change.save(update_fields=["state", "decided_at", "decided_by"])
        if approve:
            mine = RotaShift.objects.select_for_update(of=("self",)).get(pk=change.shift_id)
            if mine.employee_id != change.requester_id:
                raise Conflict(
                    "workforce_change_stale", "班次已变更，请重新申请", "The shift changed since: ask again"
                )
            swapped = (mine.pk, change.their_shift_id)
            require_rest(change.colleague, mine.starts_at, mine.ends_at, ignore=swapped)
            if change.their_shift_id:
                theirs = change.their_shift
                require_rest(change.requester, theirs.starts_at, theirs.ends_at, ignore=swapped)
            RotaShift.objects.filter(pk=mine.pk).update(employee=change.colleague)
            if change.their_shift_id:
                RotaShift.objects.filter(pk=change.their_shift_id, employee=change.colleague).update(
                    employee=change.requester
                )
        audit.record(
            actor,
            "workforce.change.approve" if approve else "workforce.change.reject",
            change,
            before={"state": ChangeState.PENDING},
            after={"state": change.state},
        )
        notify(
            [change.requester.user, change.colleague.user],
            "workforce.shift_change",
            {
                "requester": change.requester.name,
                "colleague": change.colleague.name,
                "day": clock.local(change.shift.starts_at).date(),
                "outcome": _("approved") if approve else _("rejected"),
            },
            obj=change,
            link="/workforce/my/",
        )
    return change
