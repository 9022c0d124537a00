"""Read paths of the policy page and API. The pack is company rule: every signed-in user may read it."""

from collections import defaultdict

from kefu.core import clock
from kefu.engine.policy import api
from kefu.engine.policy.models import PolicyOverride, PolicyVersion
from kefu.org.models import Unit, UnitKind


def subsidiaries():
    return Unit.objects.filter(kind=UnitKind.SUBSIDIARY, is_active=True).order_by("path")


def unit(pk: int) -> Unit | None:
    return Unit.objects.filter(pk=pk).first()


def overrides_in_force(at=None) -> dict[str, list[api.Entry]]:
    """key → the override of each subsidiary in force at `at`, as Entries (laxer ones never apply)."""
    at = at or clock.now()
    latest: dict[tuple[int, str], PolicyOverride] = {}
    rows = PolicyOverride.objects.filter(effective_from__lte=at).select_related("unit")
    for override in rows.order_by("effective_from", "id"):
        latest[(override.unit_id, override.key)] = override
    group = api.entries_of(api.version_at(at))
    result: dict[str, list[api.Entry]] = defaultdict(list)
    for (_, key), override in sorted(latest.items(), key=lambda item: item[1].unit.path):
        if key in group:
            entry = api.apply_override(group[key], override, override.unit)
            if entry.overridden:
                result[key].append(entry)
    return dict(result)


def scheduled_overrides(at=None) -> list[PolicyOverride]:
    at = at or clock.now()
    return list(
        PolicyOverride.objects.filter(effective_from__gt=at).select_related("unit").order_by("effective_from")
    )


def versions(limit: int = 50) -> list[PolicyVersion]:
    return list(PolicyVersion.objects.select_related("created_by").order_by("-number")[:limit])
