"""Emergency bodies (EMG-2): the only code that writes them. A body is made from its template (the
role slots the seeds name) at a subsidiary or a site by emergency.body.manage over that unit; each slot
is bound to a holder and a deputy from the subsidiary's active staff."""

from django.db import IntegrityError, transaction

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, PermissionDenied
from kefu.emergency import presets
from kefu.emergency.models import Body, Slot
from kefu.emergency.queries import bodies as queries
from kefu.engine.policy import api as policy
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit


def _require_manage(actor: Actor, unit: Unit) -> None:
    access.require_write(actor, queries.MANAGE)
    if not access.write_in_scope(actor, queries.MANAGE, unit=unit, owner_id=None):
        raise PermissionDenied(
            "只有负责该单位应急组织的管理人员可以维护",
            "Only a manager of the unit may do this",
            code="emergency_forbidden",
        )


def create_body(actor: Actor, *, unit: Unit, kind: str) -> Body:
    """EMG-2: a body of `kind` at `unit` with the template's slots (empty, to be bound)."""
    _require_manage(actor, unit)
    if kind not in presets.BODY_TEMPLATES:
        raise Invalid(
            "emergency_body_kind", "请选择应急组织类型", "Choose the kind of body", {"kind": "invalid"}
        )
    name, slots, _source = presets.BODY_TEMPLATES[kind]
    try:
        with transaction.atomic():
            body = Body.objects.create(unit=unit, kind=kind, name=name, created_at=clock.now())
            Slot.objects.bulk_create(
                Slot(body=body, key=f"{kind}.{code}", title=title, post_hint=post, position=i)
                for i, (code, title, post) in enumerate(slots)
            )
            audit.record(actor, "emergency.body.create", body, after={"unit": unit.pk, "kind": kind})
    except IntegrityError:
        raise Invalid(
            "emergency_body_exists",
            "本单位已建立此应急组织",
            "The unit already has this body",
            {"kind": "exists"},
        ) from None
    return body


def _colleague(unit: Unit, person: Employee | None, field: str) -> None:
    if person is None:
        return
    home = policy.subsidiary_of(unit) or unit
    if person.status != EmploymentStatus.ACTIVE or not person.unit.path.startswith(home.path):
        raise Invalid(
            "emergency_person_outside",
            f"{person.name} 不在本公司在职人员中",
            "Not an active colleague",
            {field: "outside"},
        )


def bind_slot(actor: Actor, slot: Slot, *, holder: Employee | None, deputy: Employee | None) -> Slot:
    """EMG-2: the slot's holder and deputy (different people; both active staff of the subsidiary)."""
    unit = slot.body.unit
    _require_manage(actor, unit)
    _colleague(unit, holder, "holder_id")
    _colleague(unit, deputy, "deputy_id")
    if holder is not None and deputy is not None and holder.pk == deputy.pk:
        raise Invalid(
            "emergency_deputy_self",
            "替补人不能与岗位人为同一人",
            "The deputy must be someone else",
            {"deputy_id": "same"},
        )
    with transaction.atomic():
        slot = Slot.objects.select_for_update(of=("self",)).select_related("body__unit").get(pk=slot.pk)
        before = {"holder": slot.holder_id, "deputy": slot.deputy_id}
        slot.holder, slot.deputy = holder, deputy
        slot.save(update_fields=["holder", "deputy"])
        audit.record(
            actor,
            "emergency.body.bind",
            slot,
            before=before,
            after={
                "holder": getattr(holder, "pk", None),
                "deputy": getattr(deputy, "pk", None),
                "slot": slot.key,
            },
        )
    return slot
