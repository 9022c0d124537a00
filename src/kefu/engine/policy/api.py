"""Reading the policy pack (POL-1, POL-2): `lookup(key, at=…, unit=…) -> Entry`.

Versions are immutable, so the entries of a version are cached per process under the version's
number and content digest. Which versions exist, a subsidiary's overrides and a unit's subsidiary are
read once per request or sweep (`kefu.core.memo`, issue 11): a request that asks for twenty values
reads the version list once, and the next request of any process reads it again, so a version or an
override made by another process is used from the next request on. Outside a memo scope each lookup
reads them as it goes (one indexed query for the version, one for an override).
"""

import calendar as _calendar
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import dates, translation

from kefu.core import clock, memo
from kefu.core.errors import DomainError
from kefu.engine.calendars import api as calendars
from kefu.engine.policy import pack
from kefu.engine.policy.actions import loading
from kefu.engine.policy.models import PolicyEntry, PolicyOverride, PolicyVersion
from kefu.org.models import Unit

_FIXED_SECONDS = {"minutes": 60, "hours": 3600, "days": 86400}
_CACHE: dict[tuple[int, str], dict[str, "Entry"]] = {}
_CACHE_MAX = 32


def _plain(value: Decimal) -> int | Decimal:
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else value.normalize()


@dataclass(frozen=True)
class Entry:
    """One policy number as it applies: the group value of a version, or a subsidiary's override."""

    key: str
    value: int | Decimal
    unit: str
    kind: str
    calendar: str
    rule: str
    clause: str
    source: dict
    version: int
    stricter: str
    module: str = ""
    name_zh: str = ""
    name_en: str = ""
    default_not_from_seeds: bool = False
    related_rules: tuple[str, ...] = ()
    group_value: int | Decimal | None = None  # set when an override applies
    override_unit_id: int | None = None
    override_unit_name: str = ""
    edited: bool = False
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def is_time(self) -> bool:
        return self.kind in pack.TIME_KINDS

    @property
    def overridden(self) -> bool:
        return self.override_unit_id is not None

    def duration(self) -> timedelta:
        """The value as a timedelta (calendar or business time in minutes, hours or days).

        Months and working days have no fixed length: use `due()` for them.
        """
        if self.kind not in (pack.CALENDAR_TIME, pack.BUSINESS_TIME):
            raise DomainError(
                "policy_not_a_duration",
                f"制度参数 {self.key} 不是固定时长（类型 {self.kind}）",
                f"Policy value {self.key} is not a fixed duration (kind {self.kind})",
            )
        if self.unit not in _FIXED_SECONDS:
            raise DomainError(
                "policy_not_a_duration",
                f"制度参数 {self.key} 以{self.unit}计，没有固定时长，请用 due()",
                f"Policy value {self.key} is in {self.unit}, which has no fixed length; use due()",
            )
        return timedelta(seconds=float(Decimal(self.value) * _FIXED_SECONDS[self.unit]))

    def due(self, start: datetime) -> datetime:
        """The deadline `start` + this value: business time and working days on the entry's calendar."""
        if start.tzinfo is None:
            raise ValueError("Entry.due needs an aware datetime")
        if self.kind == pack.CALENDAR_TIME:
            if self.unit == "months":
                return add_months(start, int(self.value))
            return start + self.duration()
        if self.kind == pack.BUSINESS_TIME:
            return calendars.add_business(self.calendar, start, self.duration())
        if self.kind == pack.WORKING_DAYS:
            return calendars.add_working_days(self.calendar, start, int(self.value))
        return self.duration()  # raises policy_not_a_duration for amounts

    def name(self, language: str | None = None) -> str:
        """The entry's name in the given (or active) language: name_zh, or name_en in English."""
        english = (language or translation.get_language() or "zh-hans").lower().startswith("en")
        return self.name_en if english and self.name_en else self.name_zh

    def display(self, language: str | None = None) -> str:
        """ "7 天" / "7 days": the value with its unit in the given (or active) language."""
        return format_value(self.value, self.unit, language)

    def group_display(self, language: str | None = None) -> str:
        return format_value(self.group_value, self.unit, language) if self.group_value is not None else ""


def format_value(value, unit: str, language: str | None = None) -> str:
    number = _plain(Decimal(value))
    if unit == "time_of_day":
        return f"{int(number) // 100}:{int(number) % 100:02d}"
    label = pack.UNITS[unit].label if unit in pack.UNITS else unit
    with translation.override(language or translation.get_language() or "zh-hans"):
        if unit == "weekday" and 1 <= number <= 7:
            return str(dates.WEEKDAYS[int(number) - 1])  # Django's own names: 星期一 / Monday
        text = str(label)
    return f"{number}{text}" if unit == "percent" else f"{number} {text}"


def add_months(start: datetime, months: int) -> datetime:
    """Same local (Asia/Shanghai) wall-clock time `months` later; the day is clamped to the month's end."""
    local = start.astimezone(clock.zone())
    month_index = local.month - 1 + months
    year, month = local.year + month_index // 12, month_index % 12 + 1
    day = min(local.day, _calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day).astimezone(start.tzinfo)


def is_laxer(value, than, stricter: str) -> bool:
    """POL-2: is `value` laxer than `than`, given which direction is stricter?"""
    value, than = Decimal(value), Decimal(than)
    return value > than if stricter == "lower" else value < than


def unknown_key(key: str) -> DomainError:
    return DomainError(
        "policy_unknown_key",
        f"制度参数 {key} 不存在",
        f"There is no policy value named {key}",
        status=404,
    )


def _versions() -> list[PolicyVersion]:
    """Every version, newest first (a handful of rows), read once per memo scope."""
    return list(PolicyVersion.objects.order_by("-number"))


def version_at(at: datetime | None = None) -> PolicyVersion:
    """The version in force at `at`: the latest one effective by then (the first one before it began)."""
    at = at or clock.now()
    if memo.active():
        versions = memo.shared(("policy.versions",), _versions)
        version = next((v for v in versions if v.effective_from <= at), versions[-1] if versions else None)
    else:
        version = PolicyVersion.objects.filter(effective_from__lte=at).order_by("-number").first()
        if version is None:
            version = PolicyVersion.objects.order_by("number").first()
    if version is None:
        version = loading.ensure_loaded()  # an empty database gets the shipped pack
        memo.forget("policy.versions")
    return version


def _entry(row: PolicyEntry, number: int) -> Entry:
    return Entry(
        key=row.key,
        value=_plain(row.value),
        unit=row.unit,
        kind=row.kind,
        calendar=row.calendar,
        rule=row.rule,
        clause=row.clause,
        source={"seed": row.source_seed, "document": row.source_document},
        version=number,
        stricter=row.stricter,
        module=row.module,
        name_zh=row.name_zh,
        name_en=row.name_en,
        default_not_from_seeds=row.default_not_from_seeds,
        related_rules=tuple(row.related_rules or ()),
        edited=row.edited,
    )


def entries_of(version: PolicyVersion) -> dict[str, Entry]:
    """All entries of a version, key → Entry (cached: versions never change)."""
    cache_key = (version.number, version.digest)
    cached = _CACHE.get(cache_key)
    if cached is None:
        cached = {row.key: _entry(row, version.number) for row in version.entries.all()}
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[cache_key] = cached
    return cached


def subsidiary_of(unit):
    """The subsidiary a unit belongs to (itself if it is one); None for the group."""
    if unit is None:
        return None
    if unit.kind == "subsidiary":
        return unit
    return memo.shared(
        ("org.subsidiary", unit.pk),
        lambda: Unit.objects.filter(pk__in=unit.ancestor_ids(), kind="subsidiary").first(),
    )


def _overrides(subsidiary) -> list[PolicyOverride]:
    """The subsidiary's overrides, latest first (a few rows), read once per memo scope."""
    return list(PolicyOverride.objects.filter(unit=subsidiary).order_by("-effective_from", "-id"))


def override_at(subsidiary, key: str, at: datetime) -> PolicyOverride | None:
    """The subsidiary's override of `key` in force at `at` (the latest one started by then)."""
    if memo.active():
        rows = memo.shared(("policy.overrides", subsidiary.pk), lambda: _overrides(subsidiary))
        return next((o for o in rows if o.key == key and o.effective_from <= at), None)
    return (
        PolicyOverride.objects.filter(unit=subsidiary, key=key, effective_from__lte=at)
        .order_by("-effective_from", "-id")
        .first()
    )


def apply_override(entry: Entry, override: PolicyOverride | None, subsidiary) -> Entry:
    # An override never makes a value laxer, even if the group value later became stricter (POL-2).
    if override is None or is_laxer(override.value, entry.value, entry.stricter):
        return entry
    return replace(
        entry,
        value=_plain(override.value),
        group_value=entry.value,
        override_unit_id=subsidiary.pk,
        override_unit_name=subsidiary.name,
    )


def lookup(key: str, *, at: datetime | None = None, unit=None) -> Entry:
    """The policy value `key` in force at `at` (default now), with `unit`'s subsidiary override (POL-2)."""
    at = at or clock.now()
    entry = entries_of(version_at(at)).get(key)
    if entry is None:
        raise unknown_key(key)
    subsidiary = subsidiary_of(unit)
    if subsidiary is None:
        return entry
    return apply_override(entry, override_at(subsidiary, key, at), subsidiary)


def exists(key: str, *, at: datetime | None = None) -> bool:
    """Whether the pack in force at `at` has an entry `key` (for rules that pick the most specific one)."""
    return key in entries_of(version_at(at or clock.now()))


def all_entries(*, at: datetime | None = None, unit=None) -> list[Entry]:
    """Every entry in force at `at`, overrides of `unit`'s subsidiary applied; ordered by module and key."""
    at = at or clock.now()
    entries = sorted(entries_of(version_at(at)).values(), key=lambda e: (e.module, e.key))
    subsidiary = subsidiary_of(unit)
    if subsidiary is None:
        return entries
    latest: dict[str, PolicyOverride] = {}
    for override in PolicyOverride.objects.filter(unit=subsidiary, effective_from__lte=at).order_by(
        "effective_from", "id"
    ):
        latest[override.key] = override
    return [apply_override(e, latest.get(e.key), subsidiary) for e in entries]


def clear_cache() -> None:
    _CACHE.clear()
    memo.forget("policy.versions")
    memo.forget("policy.overrides")


__all__ = ["Entry", "all_entries", "format_value", "lookup", "subsidiary_of", "version_at"]
