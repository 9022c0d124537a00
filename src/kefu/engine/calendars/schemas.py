from datetime import date, datetime

from ninja import Schema


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
