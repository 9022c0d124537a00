"""The weather bulletin under /api/v1/emergency/weather (WX-1): bulletins of my scope with their 3-day
forecasts, entering a forecast, importing a forecast file (preview or all-or-nothing import), publishing."""

from datetime import date, datetime

from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from kefu.core.errors import Invalid
from kefu.core.http_support import Pagination, StrictSchema, actor
from kefu.emergency.actions import weather as actions
from kefu.emergency.queries import resources as units
from kefu.emergency.queries import weather as queries

router = Router(tags=["emergency"])
MAX_FILE = 2 * 1024 * 1024


class ForecastOut(Schema):
    id: int | None = None
    unit_id: int | None = None
    locality: str
    day: date
    weather: str
    temp_low: int
    temp_high: int
    wind: str
    warning: str
    severe: bool


class BulletinOut(Schema):
    id: int
    unit_id: int
    unit_name: str = Field(validation_alias="unit.name")
    day: date
    state: str
    severe: bool
    note: str
    published_at: datetime | None


class BulletinDetailOut(BulletinOut):
    forecasts: list[ForecastOut] = Field(validation_alias="forecast_rows")


class ForecastIn(StrictSchema):
    unit_id: int
    locality: str = Field(max_length=50)
    day: date
    weather: str = Field(max_length=50)
    temp_low: int = Field(ge=-60, le=60)
    temp_high: int = Field(ge=-60, le=60)
    wind: str = Field("", max_length=50)
    warning: str = Field("", max_length=100)


class PublishIn(StrictSchema):
    note: str = Field("", max_length=500)


class ImportOut(Schema):
    imported: int
    rows: list[ForecastOut]


def _read(file: UploadedFile) -> tuple[str, bytes]:
    if file.size is not None and file.size > MAX_FILE:
        raise Invalid("weather_file_large", "文件不能超过 2 MB", "File too large", {"file": "too_large"})
    return file.name or "forecast.csv", file.read()


@router.get("/bulletins", response=list[BulletinOut], summary="Weather bulletins of my scope (WX-1)")
@paginate(Pagination)
def list_bulletins(request):
    return queries.bulletins(actor(request))


@router.get(
    "/bulletins/{int:bulletin_id}", response=BulletinDetailOut, summary="A bulletin with its forecast"
)
def get_bulletin(request, bulletin_id: int):
    found = queries.bulletin(actor(request), bulletin_id)
    found.forecast_rows = queries.forecasts_for(found)
    return found


@router.post("/bulletins/{int:bulletin_id}/publish", response=BulletinOut, summary="Publish to staff (WX-1)")
def publish(request, bulletin_id: int, payload: PublishIn):
    me = actor(request)
    return actions.publish(me, queries.bulletin(me, bulletin_id), note=payload.note)


@router.post(
    "/forecasts", response={201: ForecastOut}, summary="Enter one day's forecast of a locality (WX-1)"
)
def enter_forecast(request, payload: ForecastIn):
    data = payload.dict()
    unit = units.unit_named(data.pop("unit_id"), "unit_id")
    return Status(201, actions.save_forecast(actor(request), unit, **data))


@router.post(
    "/forecasts/import",
    response=ImportOut,
    summary="Import a forecast file (CSV/Excel: 日期, 地区, 天气, 最低气温, 最高气温, 风力, 预警); "
    "preview=true checks only; the import is all or nothing (WX-1)",
)
def import_forecasts(request, unit_id: Form[int], file: File[UploadedFile], preview: Form[bool] = False):
    me = actor(request)
    unit = units.unit_named(unit_id, "unit_id")
    source = _read(file)
    rows = actions.preview(me, unit, source)
    imported = 0 if preview else actions.import_rows(me, unit, source)
    return {"imported": imported, "rows": rows}
