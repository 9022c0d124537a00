"""Who is unavailable at an instant (LV-5, WFM-1, ROUTE-1): what the rota and approved leave say.

Unavailable at t: an approved leave covers t; or the person's team (their unit) has a PUBLISHED rota
covering t's local day and they have no shift of a published rota running at t. The supervisor's
manual override (cases' `Availability`, with a reason) is read by routing itself. Each reason is a
condition on `Employee` rows, so routing reads them inside its one owner-choosing query; the app
registers `unavailable_q` with cases routing at ready (cases never imports workforce).

The conditions are correlated `EXISTS` subqueries written once as SQL text (`_Condition`), not built
with the ORM on each call: building and compiling three `Exists` querysets cost ~2.5 ms of Python per
routing decision on this machine — more than the query itself (docs/performance.md, issue 15). The
text names its tables and columns from the models' metadata and reads only indexed paths:
`workforce_leave_covers` (a person's approved leave not yet over, index-only), `workforce_rota_unit`,
`workforce_shift_employee`.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import (
    BooleanField,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
)

from kefu.cases.models import Availability
from kefu.core import clock
from kefu.core.scopes import scope_q
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus
from kefu.workforce.models import LeaveRequest, LeaveState, Rota, RotaShift, RotaState

LIST_LIMIT = 500
SHIFT_AT_MOST = timedelta(days=1)  # structural: a shift template spans less than a day


_SQL: dict[str, dict[str, str]] = {}  # per database vendor, built on first use


def _sql(connection) -> dict[str, str]:
    found = _SQL.get(connection.vendor)
    if found is None:
        found = _SQL[connection.vendor] = _build(connection.ops.quote_name)
    return found


# `{person}`, `{unit}`: the outer employee's id and unit id; `%s`: the instants (parameters)
_LEAVE = (
    "EXISTS (SELECT 1 FROM {leave} wf_l WHERE wf_l.{employee} = {person} AND wf_l.{state} = '{approved}'"
    " AND wf_l.{ends_at} > %s AND wf_l.{starts_at} <= %s)"
)
# a shift lasts less than a day (a template ends within 24 hours of its start): the lower bound
# keeps the scan of the (employee, starts_at) index to the last day, however long the history
_OFF_SHIFT = (
    "(EXISTS (SELECT 1 FROM {rota} wf_r WHERE wf_r.{unit_id} = {unit} AND wf_r.{state} = '{published}'"
    " AND wf_r.{starts_on} <= %s AND wf_r.{ends_on} >= %s)"
    " AND NOT EXISTS (SELECT 1 FROM {shift} wf_s INNER JOIN {rota} wf_sr ON wf_s.{rota_id} = wf_sr.{id}"
    " WHERE wf_s.{employee} = {person} AND wf_sr.{state} = '{published}'"
    " AND wf_s.{starts_at} > %s AND wf_s.{starts_at} <= %s AND wf_s.{ends_at} > %s))"
)


def _build(quote) -> dict[str, str]:
    """The two conditions' SQL with the tables and columns named from the models (the same names on
    each table: `employee_id`, `state`, `starts_at`, `ends_at`; asserted here)."""
    column = {}
    for model, fields in (
        (LeaveRequest, ("employee", "state", "starts_at", "ends_at")),
        (Rota, ("id", "state", "starts_on", "ends_on")),
        (RotaShift, ("employee", "starts_at", "ends_at")),
    ):
        for name in fields:
            found = quote(model._meta.get_field(name).column)
            assert column.setdefault(name, found) == found
    names = {
        **column,
        "leave": quote(LeaveRequest._meta.db_table),
        "rota": quote(Rota._meta.db_table),
        "shift": quote(RotaShift._meta.db_table),
        "unit_id": quote(Rota._meta.get_field("unit").column),
        "rota_id": quote(RotaShift._meta.get_field("rota").column),
        "approved": LeaveState.APPROVED.value,  # constants of the code, not input
        "published": RotaState.PUBLISHED.value,
        "person": "{person}",
        "unit": "{unit}",
    }
    leave, off_shift = _LEAVE.format(**names), _OFF_SHIFT.format(**names)
    return {"leave": leave, "off_shift": off_shift, "either": f"({leave} OR {off_shift})"}


class _Condition(Expression):
    """One availability reason at `at` as a boolean condition on the outer `Employee` row."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, reason: str, at: datetime):
        super().__init__()
        self.reason, self.at = reason, at
        self.person, self.unit = F("pk"), F("unit_id")

    def get_source_expressions(self):
        return [self.person, self.unit]

    def set_source_expressions(self, exprs):
        self.person, self.unit = exprs

    def as_sql(self, compiler, connection):
        person, _ = compiler.compile(self.person)
        unit, _ = compiler.compile(self.unit)
        sql = _sql(connection)[self.reason]
        instant = connection.ops.adapt_datetimefield_value(self.at)
        params = [instant, instant] if self.reason != "off_shift" else []
        if self.reason != "leave":
            day = connection.ops.adapt_datefield_value(clock.local(self.at).date())
            since = connection.ops.adapt_datetimefield_value(self.at - SHIFT_AT_MOST)
            params += [day, day, since, instant, instant]
        return sql.format(person=person, unit=unit), params


def on_leave(at: datetime) -> Q:
    """An approved leave covers `at`."""
    return Q(_Condition("leave", at))


def off_shift(at: datetime) -> Q:
    """The person's unit has a published rota for `at`'s local day and they have no shift running."""
    return Q(_Condition("off_shift", at))


def unavailable_q(at: datetime) -> Q:
    """The rota-and-leave condition routing adds to its manual override (registered at ready): on
    leave or off shift, as one expression."""
    return Q(_Condition("either", at))


@dataclass
class Why:
    employee: Employee
    on_leave: bool
    off_shift: bool
    override: str | None  # the supervisor's reason when marked unavailable by hand

    @property
    def available(self) -> bool:
        return not (self.on_leave or self.off_shift or self.override is not None)

    @property
    def reason_zh(self) -> str:
        parts = []
        if self.on_leave:
            parts.append("休息/请假中（已批准）")
        if self.off_shift:
            parts.append("已发布排班中此时不在班")
        if self.override is not None:
            parts.append(f"主管标记不可接单：{self.override}")
        return "；".join(parts) or "可接单"


def of_people(people, at: datetime | None = None) -> list[Why]:
    """Each person's availability at `at` with its reasons, in one query."""
    at = at or clock.now()
    manual = Availability.objects.filter(employee=OuterRef("pk"), available=False)
    rows = people.select_related("unit", "availability").annotate(
        leave=ExpressionWrapper(on_leave(at), output_field=BooleanField()),
        override=Exists(manual),
        off=ExpressionWrapper(off_shift(at), output_field=BooleanField()),
    )[:LIST_LIMIT]
    return [
        Why(person, person.leave, person.off, person.availability.note if person.override else None)
        for person in rows
    ]


def team(actor, at: datetime | None = None) -> list[Why]:
    """The people of the caller's `case.manage` scope (their team) with their availability at `at`."""
    condition = scope_q(access.grants(actor, "case.manage"), unit_path="unit__path", owner="pk")
    if condition is None:
        return []
    people = Employee.objects.filter(condition, status=EmploymentStatus.ACTIVE).order_by(
        "unit__path", "number"
    )
    return of_people(people, at)
