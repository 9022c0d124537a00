"""Revisit plans per subsidiary (FUP-1): after the resolution of chosen case kinds, after every
complaint, periodically by customer tier. Set by whoever configures cases for that subsidiary."""

from django.db import transaction

from kefu.cases.models import CaseKind
from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound
from kefu.customers.models import Tier
from kefu.engine.policy import api as policy
from kefu.followups.models import RevisitPlan, Trigger
from kefu.org import access
from kefu.org.models import Unit

CONFIGURE = "revisit.configure"


def _subsidiary(actor: Actor, unit: Unit) -> Unit:
    found = policy.subsidiary_of(unit)
    if found is None or not access.write_in_scope(actor, CONFIGURE, unit=found, owner_id=None):
        raise NotFound("子公司", "subsidiary")
    return found


def set_plan(
    actor: Actor, unit: Unit, trigger: str, *, kinds=(), tier: str = "", active: bool = True
) -> RevisitPlan:
    """Create or change the subsidiary's plan for `trigger` (FUP-1)."""
    access.require(actor, CONFIGURE)
    subsidiary = _subsidiary(actor, unit)
    if trigger not in Trigger.values:
        raise Invalid(
            "followups_trigger", "回访方案类型无效", "Invalid revisit plan type", {"trigger": "invalid"}
        )
    kinds = sorted(set(kinds or ()))
    if trigger == Trigger.RESOLUTION:
        known = set(CaseKind.objects.filter(code__in=kinds).values_list("code", flat=True))
        if not kinds or known != set(kinds):
            raise Invalid(
                "followups_kinds",
                "请选择解决后需回访的工单类型",
                "Choose the case kinds revisited after resolution",
                {"kinds": "invalid"},
            )
    else:
        kinds = []
    if trigger == Trigger.PERIODIC:
        if tier not in Tier.values:
            raise Invalid("followups_tier", "请选择客户级别", "Choose the customer tier", {"tier": "invalid"})
    else:
        tier = ""
    with transaction.atomic():
        plan, created = RevisitPlan.objects.select_for_update(of=("self",)).get_or_create(
            unit=subsidiary,
            trigger=trigger,
            tier=tier,
            defaults={"kinds": kinds, "active": active, "created_at": clock.now(), "created_by": actor.user},
        )
        before = None if created else {"revisit_kinds": plan.kinds, "active": plan.active}
        if not created:
            plan.kinds, plan.active = kinds, active
            plan.save(update_fields=["kinds", "active"])
        audit.record(
            actor,
            "followups.plan.set",
            plan,
            before=before,
            after={"revisit_trigger": trigger, "revisit_kinds": kinds, "tier": tier, "active": active},
        )
    return plan
