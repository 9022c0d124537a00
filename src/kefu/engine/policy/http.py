"""Policy API under /api/v1/policy (POL-1, POL-2): read the pack in force, optionally as it applies
to a subsidiary (`?unit=<id>`: that unit's subsidiary overrides are applied). Every signed-in caller
may read the pack; changes are made on the page or with `kefu policy`."""

from decimal import Decimal

from django.utils.translation import gettext_lazy
from ninja import Router
from ninja.pagination import paginate

from kefu.core import clock
from kefu.core.errors import NotFound
from kefu.core.http_support import Pagination
from kefu.engine.policy import api, queries
from kefu.engine.policy.schemas import EntryOut

router = Router(tags=["policy"])
# the words the policy page shows for a number the policies do not give (本系统默认值), in the request's language
DEFAULT_NOTE = gettext_lazy("(default, not set by the source policies)")


def _number(value) -> int | float:
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _out(entry: api.Entry, effective_from) -> dict:
    return {
        "key": entry.key,
        "module": entry.module,
        "rule": entry.rule,
        "related_rules": list(entry.related_rules),
        "name_zh": entry.name_zh,
        "name_en": entry.name_en,
        "value": _number(entry.value),
        "unit": entry.unit,
        "display": entry.display(),
        "kind": entry.kind,
        "calendar": entry.calendar,
        "stricter": entry.stricter,
        "clause": entry.clause,
        "source": entry.source,
        "default_not_from_seeds": entry.default_not_from_seeds,
        "default_note": str(DEFAULT_NOTE) if entry.default_not_from_seeds else "",
        "version": entry.version,
        "version_effective_from": effective_from,
        "override": (
            {
                "unit_id": entry.override_unit_id,
                "unit_name": entry.override_unit_name,
                "group_value": _number(entry.group_value),
            }
            if entry.overridden
            else None
        ),
    }


def _unit(unit_id: int | None):
    if unit_id is None:
        return None
    found = queries.unit(unit_id)
    if found is None:
        raise NotFound("组织", "unit")
    return found


@router.get("", response=list[EntryOut], summary="The policy pack in force (POL-1)")
@paginate(Pagination)
def list_entries(request, module: str = "", rule: str = "", key: str = "", unit: int | None = None):
    now = clock.now()
    version = api.version_at(now)
    entries = api.all_entries(at=now, unit=_unit(unit))
    if module:
        entries = [e for e in entries if e.module == module]
    if rule:
        entries = [e for e in entries if e.rule == rule or rule in e.related_rules]
    if key:
        entries = [e for e in entries if key in e.key]
    return [_out(e, version.effective_from) for e in entries]


@router.get("/{key}", response=EntryOut, summary="One policy value; unknown key → 404")
def get_entry(request, key: str, unit: int | None = None):
    now = clock.now()
    entry = api.lookup(key, at=now, unit=_unit(unit))
    return _out(entry, api.version_at(now).effective_from)
