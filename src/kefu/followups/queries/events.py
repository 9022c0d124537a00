"""Read paths of cultural-exchange events (CARE-3), within the subsidiaries the caller serves; the
public answer page finds an invitation by its signed link only."""

from django.db.models import Count, Q

from kefu.core.actor import Actor
from kefu.followups.models import CareEvent, EventGap, Invitation, Rsvp
from kefu.followups.queries import care


def events(actor: Actor):
    return (
        care.scoped(CareEvent.objects.all(), actor)
        .select_related("unit", "owner")
        .annotate(
            invited=Count("invitations"),
            coming=Count("invitations", filter=Q(invitations__rsvp=Rsvp.YES)),
            attended=Count("invitations", filter=Q(invitations__attended=True)),
        )
        .order_by("-starts_on", "-pk")
    )


def event(actor: Actor, pk) -> CareEvent:
    return care.one(events(actor), pk, "活动", "event")


def invitations(event: CareEvent):
    return Invitation.objects.filter(event=event).select_related("customer").order_by("pk")


def invitation(actor: Actor, pk) -> Invitation:
    """One invitation to an event the caller reaches (404 otherwise)."""
    found = care.scoped(
        Invitation.objects.select_related("event__unit", "customer"), actor, unit_path="event__unit__path"
    )
    return care.one(found, pk, "邀请", "invitation")


def gaps(actor: Actor):
    return care.scoped(EventGap.objects.all(), actor).select_related("unit").order_by("-month", "unit__path")
