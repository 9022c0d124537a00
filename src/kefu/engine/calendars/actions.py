"""The only functions that change calendar state: holiday-year imports and per-calendar overrides
(CAL-1, CAL-3). Each checks `calendar.manage`, validates, writes and audits in one transaction."""

from datetime import date

from django.core import signing
from django.db import IntegrityError, transaction

from kefu.core import audit, clock, memo
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid
from kefu.engine.calendars import festivals, queries, statutory
from kefu.engine.calendars.importing import KIND_ALIASES
from kefu.engine.calendars.models import (
    Calendar,
    CalendarOverride,
    HolidayDay,
    HolidayYear,
    OverrideKind,
    new_revision,
)
from kefu.org import access

MIN_YEAR, MAX_YEAR = 1901, 2099
PREVIEW_SALT = "kefu.calendars.holiday_year.preview"


def _row_value(row, key: str, index: int):
    if isinstance(row, dict):
        return row.get(key, "")
    return row[index] if len(row) > index else ""


def _validate_rows(year: int, rows) -> list[tuple[date, str, str]]:
    problems_zh, problems_en, seen = [], [], {}
    clean = []
    for position, row in enumerate(rows, start=1):
        line = row.get("line", position) if isinstance(row, dict) else position
        raw_date, raw_kind, name = (_row_value(row, k, i) for i, k in enumerate(("date", "kind", "name")))
        if isinstance(raw_date, date):
            day = raw_date
        else:
            try:
                day = date.fromisoformat(str(raw_date).strip())
            except ValueError:
                problems_zh.append(f"第 {line} 行：日期“{raw_date}”无效（格式 YYYY-MM-DD）")
                problems_en.append(f"line {line}: invalid date “{raw_date}” (use YYYY-MM-DD)")
                continue
        kind = KIND_ALIASES.get(str(raw_kind).strip().lower()) or KIND_ALIASES.get(str(raw_kind).strip())
        if kind is None:
            problems_zh.append(f"第 {line} 行：类型“{raw_kind}”无效（holiday 或 makeup_workday）")
            problems_en.append(f"line {line}: invalid kind “{raw_kind}” (holiday or makeup_workday)")
            continue
        if day.year != year:
            problems_zh.append(f"第 {line} 行：{day} 不在 {year} 年内")
            problems_en.append(f"line {line}: {day} is not in {year}")
            continue
        if day in seen:
            problems_zh.append(f"第 {line} 行：日期 {day} 与第 {seen[day]} 行重复")
            problems_en.append(f"line {line}: date {day} repeats line {seen[day]}")
            continue
        seen[day] = line
        clean.append((day, kind, str(name or "").strip()[:50]))
    if problems_en:
        raise Invalid(
            "CAL-3.invalid_rows",
            "导入被拒绝，未写入任何数据：" + "；".join(problems_zh[:20]),
            "Import refused, nothing was written: " + "; ".join(problems_en[:20]),
            fields={"rows": problems_en[:50]},
        )
    if not clean:
        raise Invalid(
            "CAL-3.no_rows",
            "没有可导入的行：每行格式为“日期,类型,名称”，例如 2027-02-05,holiday,春节",
            "No rows to import: one “date,kind,name” per line, e.g. 2027-02-05,holiday,春节",
            fields={"rows": ["empty"]},
        )
    days_off = {day for day, kind, _ in clean if kind == "holiday"}
    missing = [
        name for name, days in festivals.statutory_festivals(year).items() if days_off.isdisjoint(days)
    ]
    if missing:
        raise Invalid(
            "CAL-3.incomplete_year",
            f"导入被拒绝，未写入任何数据：{year} 年的安排缺少法定节日 {'、'.join(missing)}。"
            "一次导入替换全年的安排，须包含当年全部法定节日（放假日期）及调休上班日",
            f"Import refused, nothing was written: the {year} schedule lacks the statutory festival(s) "
            f"{', '.join(missing)}. An import replaces the whole year and must hold every statutory festival "
            "(its days off) and the make-up workdays",
            fields={"rows": [f"missing {name}" for name in missing]},
        )
    return sorted(clean)


def _year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Invalid(
            "CAL-3.invalid_year",
            f"年份须在 {MIN_YEAR}–{MAX_YEAR} 之间",
            f"The year must be between {MIN_YEAR} and {MAX_YEAR}",
            fields={"year": ["out of range"]},
        )
    return year


def _require_manager(actor: Actor) -> None:
    """`calendar.manage`; the server's own operator (`kefu calendar import`, a system actor) may too."""
    if not actor.is_system:
        access.require(actor, "calendar.manage")


def preview_holiday_year(actor: Actor, year, rows, *, note: str = "", calendar=None) -> dict:
    """Check an import of `year` and say what it would change, writing nothing (CAL-3, issue 13).

    The answer is `queries.import_diff` (days added / removed / changed against what answers now,
    the fallback's days included) plus `token`: the parsed content and the state it was compared
    with, signed. `confirm_holiday_year(token)` applies exactly that content, and only over that state.
    """
    _require_manager(actor)
    year = _year(year)
    clean = _validate_rows(year, list(rows))
    diff = queries.import_diff(year, clean, calendar)
    diff["note"] = note[:200]
    diff["token"] = signing.dumps(
        {
            "year": year,
            "days": [[str(d), k, n] for d, k, n in clean],
            "note": note[:200],
            "base": diff["base"],
        },
        salt=PREVIEW_SALT,
        compress=True,
    )
    return diff


def confirm_holiday_year(actor: Actor, token: str, *, source: str = "import") -> HolidayYear:
    """Apply a previewed import: exactly the previewed days, refused if the year changed since."""
    _require_manager(actor)
    try:
        content = signing.loads(token or "", salt=PREVIEW_SALT)
    except signing.BadSignature as error:
        raise Invalid(
            "CAL-3.bad_preview",
            "预览内容无效或已被改动，请重新上传并预览",
            "The preview is invalid or was altered; upload and preview again",
            fields={"token": ["invalid"]},
        ) from error
    return import_holiday_year(
        actor, content["year"], content["days"], note=content["note"], source=source, base=content["base"]
    )


def import_holiday_year(
    actor: Actor, year, rows, *, note: str = "", source: str = "import", base: str | None = None
) -> HolidayYear:
    """Replace the official holiday and 调休 schedule of `year` atomically (CAL-3).

    `rows`: dicts {date, kind, name} or (date, kind, name) tuples. Every row is checked (date in
    that year, kind holiday/makeup_workday, no duplicate date) and the year must hold every statutory
    festival (issue 13: importing only 春节 replaced the whole year's fallback, 10/1 became a working
    day); any problem refuses the whole import. With `base` (a preview's fingerprint of the year) the
    import is refused unless the year still holds what the preview compared against.
    """
    _require_manager(actor)
    year = _year(year)
    clean = _validate_rows(year, list(rows))
    try:
        with transaction.atomic():
            previous = HolidayYear.objects.select_for_update(of=("self",)).filter(year=year).first()
            if base is not None and queries.fingerprint(statutory.load_years([year])[year]) != base:
                raise Conflict(
                    "CAL-3.changed_since_preview",
                    f"{year} 年的安排在预览之后已被改动，未写入任何数据；请重新预览",
                    f"The {year} schedule changed after the preview; nothing was written. Preview again",
                )
            before = None
            if previous is not None:
                before = {
                    "source": previous.source,
                    "imported_at": previous.imported_at,
                    "days": [[str(d), k, n] for d, k, n in previous.days.values_list("date", "kind", "name")],
                }
                previous.delete()
            holiday_year = HolidayYear.objects.create(
                year=year,
                source=(source or "import")[:50],
                note=note[:200],
                imported_at=clock.now(),
                imported_by=actor.user,
            )
            HolidayDay.objects.bulk_create(
                [HolidayDay(holiday_year=holiday_year, date=d, kind=k, name=n) for d, k, n in clean]
            )
            memo.forget("calendars.years")
            audit.record(
                actor,
                "calendar.holiday_year.import",
                holiday_year,
                before=before,
                after={
                    "year": year,
                    "source": holiday_year.source,
                    "holidays": sum(1 for _, k, _ in clean if k == "holiday"),
                    "makeup_workdays": sum(1 for _, k, _ in clean if k == "makeup_workday"),
                    "days": [[str(d), k, n] for d, k, n in clean],
                },
                reason=note,
            )
    except IntegrityError as error:
        raise Conflict(
            "CAL-3.concurrent_import",
            f"{year} 年的安排正被他人同时导入，请刷新后重试",
            f"Someone else is importing {year} at the same time; reload and try again",
        ) from error
    return holiday_year


def _touch(calendar: Calendar) -> None:
    calendar.revision = new_revision()
    calendar.save(update_fields=["revision"])
    memo.forget("calendars.row")


def set_override(actor: Actor, calendar: Calendar, day: date, kind: str, note: str = "") -> CalendarOverride:
    """Close one date (company closure) or make it an extra workday on one calendar (CAL-1)."""
    access.require(actor, "calendar.manage")
    if kind not in OverrideKind.values:
        raise Invalid(
            "CAL-1.invalid_override_kind",
            "例外类型无效（closed 或 workday）",
            "Invalid override kind (closed or workday)",
            fields={"kind": ["invalid"]},
        )
    if not isinstance(day, date) or not MIN_YEAR <= day.year <= MAX_YEAR:
        raise Invalid("CAL-1.invalid_date", "日期无效", "Invalid date", fields={"date": ["invalid"]})
    with transaction.atomic():
        calendar = Calendar.objects.select_for_update(of=("self",)).get(pk=calendar.pk)
        existing = CalendarOverride.objects.filter(calendar=calendar, date=day).first()
        before = {"kind": existing.kind, "note": existing.note} if existing else None
        override, _ = CalendarOverride.objects.update_or_create(
            calendar=calendar, date=day, defaults={"kind": kind, "note": note[:200]}
        )
        _touch(calendar)
        audit.record(
            actor,
            "calendar.override.set",
            override,
            before=before,
            after={"calendar": calendar.code, "date": str(day), "kind": kind, "note": note[:200]},
        )
    return override


def remove_override(actor: Actor, override: CalendarOverride) -> None:
    access.require(actor, "calendar.manage")
    with transaction.atomic():
        calendar = Calendar.objects.select_for_update(of=("self",)).get(pk=override.calendar_id)
        before = {
            "calendar": calendar.code,
            "date": str(override.date),
            "kind": override.kind,
            "note": override.note,
        }
        audit.record(actor, "calendar.override.remove", override, before=before)
        override.delete()
        _touch(calendar)
