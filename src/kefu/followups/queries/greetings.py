"""Read paths of greeting campaigns (CARE-1), within the subsidiaries the caller serves
(`queries.care`): the list, one campaign (404 out of reach), its counts and its greetings."""

from django.db.models import Count, Q

from kefu.core.actor import Actor
from kefu.engine.outbound.api import MessageState, Receipt
from kefu.followups.models import DeliveryState, GreetingCampaign, GreetingDelivery, Verdict
from kefu.followups.queries import audiences, care


def campaigns(actor: Actor):
    return (
        care.scoped(GreetingCampaign.objects.all(), actor)
        .select_related("unit", "owner")
        .order_by("-year", "-occasion_on", "-pk")
    )


def campaign(actor: Actor, pk) -> GreetingCampaign:
    return care.one(campaigns(actor), pk, "慰问活动", "greeting campaign")


def counts(campaign: GreetingCampaign) -> dict:
    """planned (the customers the rule picks now), sent, delivered, failed and late (late or missed)."""
    found = GreetingDelivery.objects.filter(campaign=campaign).aggregate(
        greeted=Count("pk"),
        sent=Count("pk", filter=Q(message__status=MessageState.SENT) | Q(state=DeliveryState.DONE)),
        delivered=Count("pk", filter=Q(message__receipt=Receipt.DELIVERED) | Q(state=DeliveryState.DONE)),
        failed=Count(
            "pk",
            filter=Q(state=DeliveryState.FAILED)
            | Q(message__status__in=(MessageState.FAILED, MessageState.CANCELLED)),
        ),
        late=Count("pk", filter=Q(verdict__in=(Verdict.LATE, Verdict.MISSED))),
        to_call=Count("pk", filter=Q(state=DeliveryState.TO_CALL)),
    )
    if campaign.occasion_on is None:  # birthdays: the year's greetings so far
        found["planned"] = found["greeted"]
    else:
        found["planned"] = max(
            audiences.count(campaign.unit, campaign.audience, seed=campaign.seed), found["greeted"]
        )
    return found


def deliveries(campaign: GreetingCampaign, *, only: str = ""):
    found = GreetingDelivery.objects.filter(campaign=campaign).select_related("customer", "message")
    if only == "late":
        found = found.filter(verdict__in=(Verdict.LATE, Verdict.MISSED))
    elif only == "failed":
        found = found.filter(state=DeliveryState.FAILED)
    elif only == "to_call":
        found = found.filter(state=DeliveryState.TO_CALL)
    return found.order_by("pk")


def delivery(actor: Actor, pk) -> GreetingDelivery:
    """One greeting of a campaign the caller reaches (404 otherwise)."""
    found = care.scoped(
        GreetingDelivery.objects.select_related("campaign__unit", "customer", "message"),
        actor,
        unit_path="campaign__unit__path",
    )
    return care.one(found, pk, "慰问", "greeting")
