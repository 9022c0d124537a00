"""Read paths of scorecards (QA-1): the version in use for a unit (its subsidiary's, else the group's),
the versions a configurer may see, and the total of a set of item scores."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.engine.policy import api as policy
from kefu.org import access
from kefu.quality.models import Scorecard, ScorecardItem

CONFIGURE = "quality.configure"
HUNDRED = Decimal(100)


def current_for(unit) -> Scorecard:
    """The active scorecard of the unit's subsidiary, else the group default (QA-1)."""
    subsidiary = policy.subsidiary_of(unit)
    cards = Scorecard.objects.filter(active=True)
    found = cards.filter(unit=subsidiary).first() if subsidiary is not None else None
    return found or cards.filter(unit__isnull=True).first()


def items(card: Scorecard) -> list[ScorecardItem]:
    return list(card.items.order_by("position", "pk"))


def total(rows: list[tuple[ScorecardItem, Decimal, bool]]) -> tuple[Decimal, bool]:
    """(total out of 100, fatal) of item scores: the weighted share of each non-fatal item's score of its
    maximum; any violated fatal item makes the total 0 (docs/decisions.md)."""
    if any(item.fatal and violated for item, _, violated in rows):
        return Decimal(0), True
    weights = sum(item.weight for item, _, _ in rows if not item.fatal)
    if not weights:
        return Decimal(0), False
    earned = sum(
        Decimal(item.weight) * Decimal(score) / Decimal(item.max_score)
        for item, score, _ in rows
        if not item.fatal and item.max_score
    )
    return (earned * HUNDRED / Decimal(weights)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), False


def visible(actor: Actor):
    """Active scorecards and their history that the actor configures: the group's with a group-wide grant,
    a subsidiary's within the grant."""
    if not access.can(actor, CONFIGURE):
        return Scorecard.objects.none()
    group = Q(unit__isnull=True) if access.widest_scope(actor, CONFIGURE) == "group" else Q(pk__in=[])
    scoped = access.scoped(Scorecard.objects.filter(unit__isnull=False), actor, CONFIGURE).values("pk")
    return (
        Scorecard.objects.filter(group | Q(pk__in=scoped))
        .select_related("unit")
        .order_by("unit_id", "-version")
    )


def scorecard(actor: Actor, pk: int) -> Scorecard:
    found = visible(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("评分表", "scorecard")
    return found
