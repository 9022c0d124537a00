"""The daily weather bulletin (WX-1): "销售部、办公室、采购部应每日查询本地区三日内天气预报,向员工发布,对阴恶性
天气要重点做好提醒工作" [003 · LHJ002 4.2.3]. The only code that writes forecasts and bulletins.

Forecasts are entered on the page or imported through a provider (`emergency.providers`; the built-in one
reads a forecast file) — checked row by row, shown as a preview, and written all or nothing. Each morning
the schedule `emergency.weather_bulletin` opens one bulletin per subsidiary for the day (idempotent: a
unique (unit, day) row) and tells the duty people (weather.publish) to check it; publishing tells the
unit's staff (inbox), and a bulletin with severe weather also goes to the holders of weather.alert."""

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.urls import reverse

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, PermissionDenied
from kefu.emergency import providers
from kefu.emergency.models import Bulletin, BulletinState, Forecast
from kefu.emergency.queries import weather as queries
from kefu.engine.notifications.api import notify
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Role, Unit, UnitKind

MAX_ROWS = 500


def _require_publish(actor: Actor, unit: Unit) -> None:
    access.require_write(actor, queries.PUBLISH)
    if not access.write_in_scope(actor, queries.PUBLISH, unit=unit, owner_id=None):
        raise PermissionDenied("不在您的天气简报发布范围内", "Outside your weather bulletin scope")


def _row_error(n: int, zh: str) -> Invalid:
    return Invalid("weather_row", f"第 {n} 行：{zh}", f"Row {n} is invalid", {"row": n})


def _int(value, n: int, zh: str) -> int:
    try:
        number = int(float(str(value).strip().rstrip("℃°C ")))
    except (TypeError, ValueError):
        raise _row_error(n, f"{zh}应为整数（摄氏度）") from None
    if not -60 <= number <= 60:
        raise _row_error(n, f"{zh}超出合理范围")
    return number


def check_rows(rows: list[dict], *, first_line: int = 2) -> list[dict]:
    """Each row checked; the first bad row refuses the whole set (Chinese message naming the row)."""
    if not rows:
        raise Invalid("weather_rows_empty", "没有可导入的预报", "No forecast rows", {"file": "empty"})
    if len(rows) > MAX_ROWS:
        raise Invalid(
            "weather_rows_many", f"一次最多导入 {MAX_ROWS} 行", "Too many rows", {"file": "too_many"}
        )
    out, seen = [], set()
    for n, raw in enumerate(rows, start=first_line):
        day = raw.get("day")
        if isinstance(day, datetime):  # an Excel cell
            day = day.date()
        if not isinstance(day, date):
            try:
                day = date.fromisoformat(str(day or "").strip())
            except ValueError:
                raise _row_error(n, "日期格式不正确（例如 2026-03-01）") from None
        locality = str(raw.get("locality") or "").strip()
        weather = str(raw.get("weather") or "").strip()
        if not locality or len(locality) > 50:
            raise _row_error(n, "请填写地区（不超过 50 字）")
        if not weather or len(weather) > 50:
            raise _row_error(n, "请填写天气（不超过 50 字）")
        low = _int(raw.get("temp_low"), n, "最低气温")
        high = _int(raw.get("temp_high"), n, "最高气温")
        if low > high:
            raise _row_error(n, "最低气温高于最高气温")
        wind = str(raw.get("wind") or "").strip()[:50]
        warning = str(raw.get("warning") or "").strip()[:100]
        if (locality, day) in seen:
            raise _row_error(n, "同一地区同一天重复")
        seen.add((locality, day))
        out.append(
            {
                "day": day,
                "locality": locality,
                "weather": weather,
                "temp_low": low,
                "temp_high": high,
                "wind": wind,
                "warning": warning,
                "severe": queries.is_severe(weather, warning),
            }
        )
    return out


def preview(actor: Actor, unit: Unit, source, *, provider: str = "file") -> list[dict]:
    """The checked rows of a source, nothing written (the page shows them before the import)."""
    _require_publish(actor, unit)
    return check_rows(providers.get(provider).rows(source))


def import_rows(actor: Actor, unit: Unit, source, *, provider: str = "file") -> int:
    """WX-1: the provider's rows written for the unit, all or nothing (a day and locality already entered
    is replaced)."""
    rows = preview(actor, unit, source, provider=provider)
    return _write(actor, unit, rows, provider)


def save_forecast(actor: Actor, unit: Unit, **row) -> Forecast:
    """One forecast entered on the page."""
    _require_publish(actor, unit)
    rows = check_rows([row], first_line=1)
    _write(actor, unit, rows, "manual")
    return Forecast.objects.get(unit=unit, locality=rows[0]["locality"], day=rows[0]["day"])


def _write(actor: Actor, unit: Unit, rows: list[dict], source: str) -> int:
    now = clock.now()
    with transaction.atomic():
        for row in rows:
            Forecast.objects.update_or_create(
                unit=unit,
                locality=row["locality"],
                day=row["day"],
                defaults={**row, "source": source, "entered_by": actor.user, "entered_at": now},
            )
        audit.record(actor, "emergency.weather.forecasts", unit, after={"rows": len(rows), "source": source})
    return len(rows)


def _holders(permission: str, unit: Unit) -> list:
    """Active people whose roles give `permission` over `unit`."""
    codes = [r.code for r in Role.objects.all() if permission in (r.permissions or [])]
    people = (
        Employee.objects.filter(role_assignments__role__code__in=codes, status=EmploymentStatus.ACTIVE)
        .select_related("user")
        .distinct()
        .order_by("pk")
    )
    return [
        e.user
        for e in people
        if e.user is not None
        and access.record_in_scope(
            access.actor_for(e.user, origin="resolver"), permission, unit=unit, owner_id=None
        )
    ]


def open_bulletin(unit: Unit, day: date) -> tuple[Bulletin, bool]:
    """The unit's bulletin of the day, opened once (the unique (unit, day) row decides) and its duty
    people told."""
    try:
        with transaction.atomic():
            bulletin = Bulletin.objects.create(unit=unit, day=day, opened_at=clock.now())
            people = _holders(queries.PUBLISH, unit)
            if people:
                notify(
                    people,
                    "emergency.weather_to_check",
                    {"unit": unit.name, "day": f"{day:%Y-%m-%d}"},
                    obj=bulletin,
                    link=reverse("emergency:bulletin", args=[bulletin.pk]),
                    channels=("inbox",),
                )
            return bulletin, True
    except IntegrityError:
        return Bulletin.objects.get(unit=unit, day=day), False


def daily(run=None) -> int:
    """The schedule `emergency.weather_bulletin` (every morning): open the day's bulletin of every active
    subsidiary; a second sweep the same day opens nothing."""
    day = clock.local(run.due_at).date() if run is not None else clock.today()
    opened = 0
    for unit in Unit.objects.filter(kind=UnitKind.SUBSIDIARY, is_active=True).order_by("path"):
        _, made = open_bulletin(unit, day)
        opened += made
    return opened


def publish(actor: Actor, bulletin: Bulletin, *, note: str = "") -> Bulletin:
    """WX-1: the duty person publishes the checked bulletin: the unit's staff are told (inbox); severe
    weather in it also goes to the holders of weather.alert (the emergency command)."""
    _require_publish(actor, bulletin.unit)
    note = str(note or "").strip()
    if len(note) > 500:
        raise Invalid("weather_note_long", "提醒内容过长", "Note too long", {"note": "too_long"})
    with transaction.atomic():
        locked = Bulletin.objects.select_for_update(of=("self",)).get(pk=bulletin.pk)
        if locked.state == BulletinState.PUBLISHED:
            raise Conflict("weather_published", "该天气简报已发布", "The bulletin is already published")
        forecasts = queries.forecasts_for(locked)
        if not forecasts:
            raise Invalid("weather_no_forecast", "请先录入或导入三日天气预报", "Enter the forecast first")
        severe = [f for f in forecasts if f.severe]
        now = clock.now()
        Bulletin.objects.filter(pk=locked.pk).update(
            state=BulletinState.PUBLISHED,
            published_at=now,
            published_by=actor.user,
            note=note,
            severe=bool(severe),
        )
        locked.refresh_from_db()
        summary = "；".join(
            f"{f.day:%m-%d} {f.locality} {f.weather} {f.temp_low}~{f.temp_high}℃"
            + (f" {f.warning}" if f.warning else "")
            for f in forecasts
        )
        staff = [
            e.user
            for e in Employee.objects.filter(
                unit__path__startswith=locked.unit.path, status=EmploymentStatus.ACTIVE, user__isnull=False
            )
            .select_related("user")
            .order_by("pk")
        ]
        link = reverse("emergency:bulletin", args=[locked.pk])
        context = {
            "unit": locked.unit.name,
            "day": f"{locked.day:%Y-%m-%d}",
            "summary": summary,
            "note": note or "—",
        }
        if staff:
            notify(staff, "emergency.weather_published", context, obj=locked, link=link, channels=("inbox",))
        if severe:
            alert = _holders(queries.ALERT, locked.unit)
            if alert:
                worst = "；".join(
                    f"{f.day:%m-%d} {f.locality} {f.weather} {f.warning}".strip() for f in severe
                )
                notify(
                    alert,
                    "emergency.weather_severe",
                    {**context, "severe": worst},
                    obj=locked,
                    link=link,
                    channels=("inbox",),
                )
        audit.record(
            actor, "emergency.weather.publish", locked, after={"severe": len(severe), "staff": len(staff)}
        )
    return locked
