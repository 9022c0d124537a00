"""The policy pack file format (POL-1): kinds, units, schema validation and reading the YAML.

Plain data and pure functions; the database side is in `models.py` and `actions.py`.
"""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.utils.translation import pgettext_lazy

DEFAULT_PACK = Path(__file__).resolve().parents[2] / "policies" / "default.yaml"

# The closed set of kinds. Time kinds have a deadline meaning (Entry.due); the others are amounts.
CALENDAR_TIME = "calendar_time"  # plain elapsed time: 7 days, 30 minutes, 3 months
BUSINESS_TIME = "business_time"  # time counted only inside a calendar's working windows
WORKING_DAYS = "working_days"  # "within N working days" on a calendar (0 = the same working day)
COUNT = "count"
MONEY = "money"
PERCENTAGE = "percentage"
KINDS = (CALENDAR_TIME, BUSINESS_TIME, WORKING_DAYS, COUNT, MONEY, PERCENTAGE)
TIME_KINDS = (CALENDAR_TIME, BUSINESS_TIME, WORKING_DAYS)
CALENDAR_KINDS = (BUSINESS_TIME, WORKING_DAYS)
CALENDARS = ("office", "24x7")
STRICTER = ("lower", "higher")

KIND_LABELS = {
    CALENDAR_TIME: pgettext_lazy("policy kind", "Calendar time"),
    BUSINESS_TIME: pgettext_lazy("policy kind", "Business time"),
    WORKING_DAYS: pgettext_lazy("policy kind", "Working days"),
    COUNT: pgettext_lazy("policy kind", "Count"),
    MONEY: pgettext_lazy("policy kind", "Money"),
    PERCENTAGE: pgettext_lazy("policy kind", "Percentage"),
}


@dataclass(frozen=True)
class Unit:
    code: str
    kinds: tuple[str, ...]
    label: object  # lazy translated label shown after the value ("天", "元", "%")


UNITS = {
    u.code: u
    for u in [
        Unit("minutes", (CALENDAR_TIME, BUSINESS_TIME), pgettext_lazy("policy unit", "minutes")),
        Unit("hours", (CALENDAR_TIME, BUSINESS_TIME), pgettext_lazy("policy unit", "hours")),
        Unit("days", (CALENDAR_TIME,), pgettext_lazy("policy unit", "days")),
        Unit("months", (CALENDAR_TIME,), pgettext_lazy("policy unit", "months")),
        Unit("working_days", (WORKING_DAYS,), pgettext_lazy("policy unit", "working days")),
        Unit("yuan", (MONEY,), pgettext_lazy("policy unit", "yuan")),
        Unit("yuan_per_hour", (MONEY,), pgettext_lazy("policy unit", "yuan per hour")),
        Unit("yuan_per_char", (MONEY,), pgettext_lazy("policy unit", "yuan per character")),
        Unit("percent", (PERCENTAGE,), pgettext_lazy("policy unit", "%")),
        Unit("count", (COUNT,), pgettext_lazy("policy unit", "items")),
        Unit("megabytes", (COUNT,), pgettext_lazy("policy unit", "MB")),
        Unit("times", (COUNT,), pgettext_lazy("policy unit", "times")),
        Unit("times_per_month", (COUNT,), pgettext_lazy("policy unit", "times per month")),
        Unit("times_per_year", (COUNT,), pgettext_lazy("policy unit", "times per year")),
        Unit("rings", (COUNT,), pgettext_lazy("policy unit", "rings")),
        Unit("people", (COUNT,), pgettext_lazy("policy unit", "people")),
        Unit("levels", (COUNT,), pgettext_lazy("policy unit", "levels")),
        Unit("offences", (COUNT,), pgettext_lazy("policy unit", "offences")),
        Unit("approvals", (COUNT,), pgettext_lazy("policy unit", "approvals")),
        Unit("classes", (COUNT,), pgettext_lazy("policy unit", "classes")),
        Unit("day_count", (COUNT,), pgettext_lazy("policy unit", "days (amount)")),
        # points rather than amounts: a weekday 1–7 (1 = Monday) and a time of day written HHMM (830 = 8:30)
        Unit("weekday", (COUNT,), pgettext_lazy("policy unit", "weekday (1 = Monday)")),
        Unit("time_of_day", (COUNT,), pgettext_lazy("policy unit", "time of day (HHMM, 830 = 8:30)")),
    ]
}

REQUIRED = (
    "key",
    "rule",
    "module",
    "name_zh",
    "name_en",
    "value",
    "unit",
    "kind",
    "stricter",
    "clause",
    "source",
)
OPTIONAL = ("calendar", "default_not_from_seeds", "related_rules")


class PackError(ValueError):
    """The pack file does not follow the schema; the message lists every problem."""


def to_decimal(value) -> Decimal:
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise PackError(f"not a number: {value!r}") from exc
    if not result.is_finite():
        raise PackError(f"not a finite number: {value!r}")
    return result


def point_problem(unit: str, value: Decimal) -> tuple[str, str] | None:
    """(zh, en) of what is wrong with a weekday or a time of day; None if it is one (or another unit)."""
    whole = value == value.to_integral_value()
    if unit == "weekday" and not (whole and 1 <= value <= 7):
        return ("必须是 1–7（1 = 星期一）", "must be 1–7 (1 = Monday)")
    if unit == "time_of_day" and not (whole and 0 <= value <= 2359 and value % 100 < 60):
        return ("必须是时分 HHMM（如 830 = 8:30）", "must be a time of day HHMM (830 = 8:30)")
    return None


def validate(data) -> list[dict]:
    """Check the parsed YAML; return normalised entries or raise PackError naming every problem."""
    problems: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise PackError("the pack must be a mapping with a list under 'entries'")
    entries: list[dict] = []
    seen: set[str] = set()
    for index, raw in enumerate(data["entries"]):
        where = f"entry {index + 1}"
        if not isinstance(raw, dict):
            problems.append(f"{where}: not a mapping")
            continue
        key = raw.get("key", "")
        where = f"{where} ({key})" if key else where
        missing = [f for f in REQUIRED if f not in raw]
        unknown = sorted(set(raw) - set(REQUIRED) - set(OPTIONAL))
        if missing:
            problems.append(f"{where}: missing {', '.join(missing)}")
            continue
        if unknown:
            problems.append(f"{where}: unknown field(s) {', '.join(unknown)}")
        problems.extend(f"{where}: {p}" for p in _entry_problems(raw, seen))
        seen.add(key)
        try:
            value = to_decimal(raw["value"])
        except PackError as exc:
            problems.append(f"{where}: {exc}")
            continue
        point = point_problem(raw["unit"], value)
        if point:
            problems.append(f"{where}: {point[1]}")
        source = raw["source"] if isinstance(raw["source"], dict) else {}
        entries.append(
            {
                "key": key,
                "rule": raw["rule"],
                "module": raw["module"],
                "name_zh": raw["name_zh"],
                "name_en": raw["name_en"],
                "value": value,
                "unit": raw["unit"],
                "kind": raw["kind"],
                "calendar": raw.get("calendar") or "",
                "stricter": raw["stricter"],
                "clause": raw["clause"] or "",
                "source_seed": str(source.get("seed") or ""),
                "source_document": str(source.get("document") or ""),
                "default_not_from_seeds": bool(raw.get("default_not_from_seeds", False)),
                "related_rules": list(raw.get("related_rules") or []),
            }
        )
    if problems:
        raise PackError("; ".join(problems))
    return entries


def _entry_problems(raw: dict, seen: set[str]) -> list[str]:
    out = []
    key, kind, unit = raw["key"], raw["kind"], raw["unit"]
    if not isinstance(key, str) or key.count(".") != 1 or not all(key.split(".")):
        out.append("key must be '<module>.<name>'")
    elif key.split(".")[0] != raw["module"]:
        out.append(f"key prefix must be the module {raw['module']!r}")
    if key in seen:
        out.append("duplicate key")
    if kind not in KINDS:
        out.append(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    if unit not in UNITS:
        out.append(f"unit {unit!r} is unknown")
    elif kind in KINDS and kind not in UNITS[unit].kinds:
        out.append(f"unit {unit!r} does not fit kind {kind!r}")
    calendar = raw.get("calendar")
    if kind in CALENDAR_KINDS and calendar not in CALENDARS:
        out.append(f"kind {kind} needs calendar {' or '.join(CALENDARS)}")
    if kind not in CALENDAR_KINDS and calendar:
        out.append("only business_time and working_days name a calendar")
    if raw["stricter"] not in STRICTER:
        out.append("stricter must be 'lower' or 'higher'")
    for field in ("rule", "module", "name_zh", "name_en"):
        if not isinstance(raw[field], str) or not raw[field].strip():
            out.append(f"{field} is empty")
    source = raw["source"]
    if not isinstance(source, dict) or set(source) - {"seed", "document"}:
        out.append("source must be {seed, document}")
    elif raw.get("default_not_from_seeds"):
        if isinstance(raw["clause"], str) and raw["clause"].strip():
            out.append(
                "a default not from the seeds quotes no clause (a clause is quoted only where it holds the number)"
            )
    else:
        if not (isinstance(raw["clause"], str) and raw["clause"].strip()):
            out.append("clause is empty (only defaults not from seeds may omit it)")
        if not source.get("seed") or not source.get("document"):
            out.append("source needs seed and document")
    if not isinstance(raw.get("related_rules", []), list):
        out.append("related_rules must be a list")
    return out


def read(path: Path | str | None = None) -> tuple[list[dict], str, str]:
    """(entries, sha256 of the file, file name) of a pack file; PackError if it is not valid."""
    path = Path(path) if path else DEFAULT_PACK
    raw = path.read_bytes()
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise PackError(f"{path.name}: not valid YAML: {exc}") from exc
    return validate(data), hashlib.sha256(raw).hexdigest(), path.name


def digest(entries: list[dict]) -> str:
    """A fingerprint of a version's whole content, used to key the per-process lookup cache."""
    rows = sorted(
        ({**e, "value": str(to_decimal(e["value"]).normalize())} for e in entries), key=lambda e: e["key"]
    )
    return hashlib.sha256(json.dumps(rows, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
