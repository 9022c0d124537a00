from datetime import date, datetime

from ninja import Field, Schema


class WindowOut(Schema):
    weekday: int
    start: str
    end: str


class CalendarOut(Schema):
    code: str
    name: str
    time_zone: str
    follows_statutory_holidays: bool
    windows: list[WindowOut]


class CoverageWarningOut(Schema):
    year: int
    code: str
    message: str
    messages: dict[str, str]


class DueOut(Schema):
    calendar: str
    start: datetime
    due: datetime
    explanation: str
    warnings: list[CoverageWarningOut]


class DayOut(Schema):
    date: date
    weekday: int
    working: bool
    kind: str
    name: str
    source: str


class ImportIn(Schema):
    year: int = Field(..., description="the year the schedule covers: a row dated outside it is refused")
    text: str = Field(
        ...,
        description="the schedule, one `date,kind,name` line per day (kind: holiday/休/放假 or "
        "makeup_workday/班/调休上班), every statutory festival of the year included",
    )
    note: str = Field("", max_length=200, description="the source document, e.g. the State Council notice")
    calendar: str | None = Field(
        None, description="a calendar code: each change also says working or not on it"
    )


class DayEntryOut(Schema):
    kind: str
    name: str


class DayChangeOut(Schema):
    date: date
    change: str = Field(..., description="added / removed / changed")
    before: DayEntryOut | None
    after: DayEntryOut | None
    working_before: bool | None = None
    working_after: bool | None = None


class ImportPreviewOut(Schema):
    year: int
    source: str = Field(
        ..., description="what answers for the year now: import / chinese-calendar / fallback"
    )
    official: bool
    holidays: int
    makeup_workdays: int
    changes: list[DayChangeOut]
    token: str = Field(
        ..., description="send it to POST /calendars/holiday-years/import to apply this content"
    )


class ConfirmIn(Schema):
    token: str


class HolidayYearOut(Schema):
    year: int
    days: int
    imported_at: datetime
