"""Read paths of holiday gift lists (CARE-2), within the subsidiaries the caller serves."""

from django.db.models import Count, Sum

from kefu.core.actor import Actor
from kefu.engine.workflow import api as workflow
from kefu.followups.models import GiftItem, GiftList
from kefu.followups.queries import care


def gift_lists(actor: Actor):
    return (
        care.scoped(GiftList.objects.all(), actor)
        .select_related("unit", "owner")
        .annotate(gifts=Count("items"), total=Sum("items__price"))
        .order_by("-occasion_on", "-pk")
    )


def gift_list(actor: Actor, pk) -> GiftList:
    return care.one(gift_lists(actor), pk, "礼品清单", "gift list")


def items(gift_list: GiftList):
    return GiftItem.objects.filter(gift_list=gift_list).select_related("customer", "issued_by").order_by("pk")


def item(actor: Actor, pk) -> GiftItem:
    """One gift of a list the caller reaches (404 otherwise)."""
    found = care.scoped(
        GiftItem.objects.select_related("gift_list__unit", "customer"),
        actor,
        unit_path="gift_list__unit__path",
    )
    return care.one(found, pk, "礼品", "gift")


def my_pending_step(actor: Actor, gift_list: GiftList):
    """The approval step of this list waiting for `actor`'s decision, or None."""
    request = workflow.pending_approval(gift_list)
    if request is None or actor.principal is None:
        return None
    return request.steps.filter(status=workflow.StepStatus.PENDING, approvers=actor.principal).first()
