"""Audiences: the customers a campaign reaches, chosen by a rule (CARE-1 greetings, CSAT-1 periodic
surveys, revisit campaigns). One definition so that every campaign reads "who" the same way.

A rule is a small dict kept on the campaign (validated by `clean`):

- ``tiers``: customer tiers (`customers.Tier` codes); empty means every tier
- ``audiences``: audience categories A–D (`customers.AudienceCategory`); empty means all
- ``kinds``: organisation / person; empty means both
- ``closed_within_days``: only customers with a case closed in the last N days (survey samples)
- ``sample_percent``: 1–100, a deterministic share of the matching customers: the same campaign
  (its ``seed``) always picks the same customers, so a restarted batch never picks others

Only live customers of the campaign's subsidiary (and the units under it) count: never destroyed,
never merged away. `batches` streams the primary keys by key-set pagination, so a campaign over a
million customers holds one batch in memory, not the whole list.
"""

from collections.abc import Iterator
from datetime import timedelta

from django.db.models import Exists, F, OuterRef, QuerySet
from django.db.models.functions import Mod

from kefu.cases.models import Case
from kefu.core import clock
from kefu.core.errors import Invalid
from kefu.customers.models import AudienceCategory, Customer, CustomerKind, Tier

BATCH = 2000
CHOICES = {"tiers": Tier.values, "audiences": AudienceCategory.values, "kinds": CustomerKind.values}


def clean(rule: dict | None) -> dict:
    """The rule with only known keys and valid values; `Invalid` (in the page's language) otherwise."""
    rule = dict(rule or {})
    unknown = set(rule) - {*CHOICES, "closed_within_days", "sample_percent"}
    if unknown:
        raise Invalid(
            "audience_rule",
            "客户范围规则含有无法识别的条件",
            "The audience rule has unknown conditions",
            fields={key: ["unknown"] for key in sorted(unknown)},
        )
    cleaned: dict = {}
    for key, allowed in CHOICES.items():
        values = rule.get(key) or []
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, list) or any(value not in allowed for value in values):
            raise Invalid(
                "audience_rule",
                "客户范围规则的取值无效",
                "Invalid audience rule value",
                fields={key: ["invalid"]},
            )
        if values:
            cleaned[key] = sorted(set(values))
    for key, low, high in (("closed_within_days", 1, 3660), ("sample_percent", 1, 100)):
        value = rule.get(key)
        if value in (None, ""):
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or not low <= number <= high:
            raise Invalid(
                "audience_rule",
                f"客户范围规则的数值应在{low}到{high}之间",
                f"The audience rule's number must be between {low} and {high}",
                fields={key: ["invalid"]},
            )
        if key != "sample_percent" or number < 100:
            cleaned[key] = number
    return cleaned


def matching(unit, rule: dict, *, seed: int = 0) -> QuerySet:
    """The live customers of `unit` (and below) that `rule` selects, ordered by primary key."""
    rule = clean(rule)
    customers = Customer.objects.filter(
        unit__path__startswith=unit.path, destroyed_at__isnull=True, merged_into__isnull=True
    )
    if rule.get("tiers"):
        customers = customers.filter(tier__in=rule["tiers"])
    if rule.get("audiences"):
        customers = customers.filter(audience__in=rule["audiences"])
    if rule.get("kinds"):
        customers = customers.filter(kind__in=rule["kinds"])
    if rule.get("closed_within_days"):
        since = clock.now() - timedelta(days=rule["closed_within_days"])
        closed = Case.objects.filter(customer=OuterRef("pk"), closed_at__gte=since)
        customers = customers.filter(Exists(closed))
    if rule.get("sample_percent"):
        # a fixed bucket per customer and campaign: the sample is the same on every run
        customers = customers.annotate(bucket=Mod(F("pk") + seed % 100, 100)).filter(
            bucket__lt=rule["sample_percent"]
        )
    return customers.order_by("pk")


def batches(unit, rule: dict, *, seed: int = 0, after: int = 0, size: int = BATCH) -> Iterator[list[int]]:
    """The matching customers' primary keys, `size` at a time, starting after `after` (a batch
    restarted from its checkpoint continues where it stopped)."""
    customers = matching(unit, rule, seed=seed)
    while True:
        keys = list(customers.filter(pk__gt=after).values_list("pk", flat=True)[:size])
        if not keys:
            return
        yield keys
        after = keys[-1]


def count(unit, rule: dict, *, seed: int = 0) -> int:
    return matching(unit, rule, seed=seed).count()
