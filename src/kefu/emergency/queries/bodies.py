"""Read paths of emergency bodies (EMG-2): the bodies a person may see, one body (404 outside), the
slot a plan names for a unit (the nearest body of that kind at the unit or above), and who holds a
slot right now — the deputy while the holder is on approved leave (workforce), else the delegate of the
holder's delegation in force (ORG-5)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.core.scopes import scope_q
from kefu.emergency.models import Body, Slot
from kefu.org import access
from kefu.org.models import Delegation, DelegationState, Employee, Unit
from kefu.workforce.queries.availability import on_leave

VIEW = "emergency.view"
MANAGE = "emergency.body.manage"
READERS = (VIEW, MANAGE, "emergency.plan.manage")
ID_LIMIT = 2**31


def _id(pk) -> int:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return 0
    return pk if 0 < pk < ID_LIMIT else 0


def visible_q(actor: Actor) -> Q | None:
    grants = [g for code in READERS for g in access.grants(actor, code)]
    return scope_q(grants, unit_path="unit__path", owner=None)


def _slots():
    return Prefetch(
        "slots", queryset=Slot.objects.select_related("holder", "deputy").order_by("position", "pk")
    )


def bodies(actor: Actor):
    condition = visible_q(actor)
    if condition is None:
        return Body.objects.none()
    return (
        Body.objects.filter(condition)
        .select_related("unit")
        .prefetch_related(_slots())
        .order_by("unit__path", "kind", "pk")
    )


def body(actor: Actor, pk) -> Body:
    condition = visible_q(actor)
    found = None
    if condition is not None and _id(pk):
        found = (
            Body.objects.filter(condition, pk=_id(pk))
            .select_related("unit")
            .prefetch_related(_slots())
            .first()
        )
    if found is None:
        raise NotFound("应急组织", "emergency body")
    return found


def slot(actor: Actor, pk) -> Slot:
    found = (
        Slot.objects.filter(pk=_id(pk)).select_related("body__unit", "holder", "deputy").first()
        if _id(pk)
        else None
    )
    if found is None:
        raise NotFound("应急组织岗位", "role slot")
    body(actor, found.body_id)
    return found


def ancestors(unit: Unit) -> list[int]:
    """The unit's id and its ancestors' ids, nearest first (from its path "/1/4/9/")."""
    return [int(p) for p in reversed(unit.path.strip("/").split("/")) if p]


def slot_for(unit: Unit, key: str) -> Slot | None:
    """The slot `key` ("command.director") of the nearest body at `unit` or above."""
    order = ancestors(unit)
    found = list(
        Slot.objects.filter(key=key, body__unit_id__in=order).select_related("holder", "deputy", "body")
    )
    found.sort(key=lambda s: order.index(s.body.unit_id))
    return found[0] if found else None


@dataclass
class Holder:
    employee: Employee | None  # who acts in the slot now (None: nobody bound)
    reason: str  # holder / deputy_leave / delegate / vacant / absent
    holder: Employee | None = None

    @property
    def reason_zh(self) -> str:
        return {
            "holder": "本人在岗",
            "deputy_leave": "岗位人休假中，由替补人代行",
            "delegate": "岗位人已委托他人代行",
            "absent": "岗位人休假中，且无可代行的替补人",
            "vacant": "尚未指定岗位人",
        }[self.reason]


def _delegate(holder: Employee, at: datetime) -> Employee | None:
    found = (
        Delegation.objects.filter(
            delegator_id=holder.pk,
            state=DelegationState.APPROVED,
            revoked_at__isnull=True,
            starts_at__lte=at,
            ends_at__gt=at,
        )
        .select_related("delegate")
        .order_by("-starts_at", "-pk")
        .first()
    )
    return found.delegate if found is not None else None


def holder_now(slot: Slot, at: datetime | None = None) -> Holder:
    """EMG-2: who fills the slot at `at` — the holder; while the holder is on approved leave the deputy
    (if the deputy is not on leave too), else the delegate of the holder's delegation in force."""
    at = at or clock.now()
    holder = slot.holder
    if holder is None:
        if slot.deputy is not None:
            return Holder(slot.deputy, "deputy_leave", None)
        return Holder(None, "vacant", None)
    people = [holder.pk] + ([slot.deputy_id] if slot.deputy_id else [])
    away = set(Employee.objects.filter(pk__in=people).filter(on_leave(at)).values_list("pk", flat=True))
    if holder.pk in away:
        if slot.deputy is not None and slot.deputy_id not in away:
            return Holder(slot.deputy, "deputy_leave", holder)
        delegate = _delegate(holder, at)
        if delegate is not None:
            return Holder(delegate, "delegate", holder)
        return Holder(None, "absent", holder)
    delegate = _delegate(holder, at)
    if delegate is not None:
        return Holder(delegate, "delegate", holder)
    return Holder(holder, "holder", holder)


def may_manage(actor: Actor, body: Body) -> bool:
    return access.may_write(actor, MANAGE, unit=body.unit, owner_id=None)
