"""Read paths of calibration (QA-1): the sessions of the actor's inspect scope and the spread of the
inspectors' scores per item and of the total (highest − lowest)."""

from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.org import access
from kefu.quality.models import Calibration, InspectionScore, InspectionState

INSPECT = "quality.inspect"


def sessions(actor: Actor):
    return (
        access.scoped(Calibration.objects.all(), actor, INSPECT)
        .select_related("case", "created_by")
        .order_by("-created_at", "-pk")
    )


def session(actor: Actor, pk) -> Calibration:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = 0
    found = (
        sessions(actor).select_related("scorecard", "unit").filter(pk=pk).first() if 0 < pk < 2**62 else None
    )
    if found is None:
        raise NotFound("校准会", "calibration session")
    return found


def spread(found: Calibration) -> dict:
    """Per item and for the total: each inspector's score, lowest, highest and spread, over the
    inspections scored so far (three reads)."""
    inspections = list(found.inspections.select_related("inspector").order_by("inspector__number"))
    scored = [i for i in inspections if i.state != InspectionState.ASSIGNED]
    by_item: dict[int, dict[int, object]] = {}
    for row in InspectionScore.objects.filter(inspection__in=scored):
        by_item.setdefault(row.item_id, {})[row.inspection_id] = row
    items = []
    for item in found.scorecard.items.order_by("position", "pk"):
        given = by_item.get(item.pk, {})
        values = [given[i.pk].score for i in scored if i.pk in given]
        if item.fatal:
            values = [1 if given[i.pk].violated else 0 for i in scored if i.pk in given]
        items.append(
            {
                "item": item,
                "cells": [given.get(i.pk) for i in scored],
                "low": min(values) if values else None,
                "high": max(values) if values else None,
                "spread": (max(values) - min(values)) if values else None,
            }
        )
    totals = [i.total for i in scored if i.total is not None]
    return {
        "inspections": inspections,
        "scored": scored,
        "items": items,
        "total_low": min(totals) if totals else None,
        "total_high": max(totals) if totals else None,
        "total_spread": (max(totals) - min(totals)) if totals else None,
    }
