"""The people a 报备 form may name: colleagues of the same company (a deal's split, a customer's
choice, issue 10) and the company or department a unit belongs to. A building block of the claims
queries and actions."""

from kefu.core.errors import Invalid
from kefu.org.models import Employee, EmploymentStatus, Unit, UnitKind

# how a 报备 form refuses an employee who does not exist or may not be named (issue 10): the
# arguments of `org.queries.employee_named` (any employment status: the rule decides after)
NAMED = {
    "active": False,
    "code": "claim_employee",
    "message": ("请选择员工（员工不存在）", "Choose an employee (no such employee)"),
}


def unknown(field: str) -> Invalid:
    zh, en = NAMED["message"]
    return Invalid(NAMED["code"], zh, en, {field: "unknown"})


def require_colleague(unit: Unit, person: Employee, field: str) -> Employee:
    """`person` if they work in the company of `unit` (a deal's split, a customer's choice name only
    colleagues, issue 10); anyone else is answered like an unknown employee."""
    if not person.unit.path.startswith(company_of(unit).path):
        raise unknown(field)
    return person


def company_of(unit: Unit) -> Unit:
    """The subsidiary a unit belongs to (the unit itself for a subsidiary; the root above none)."""
    above = {u.pk: u for u in Unit.objects.filter(pk__in=unit.ancestor_ids())}
    chain = [above[pk] for pk in unit.ancestor_ids() if pk in above]
    companies = [u for u in chain if u.kind == UnitKind.SUBSIDIARY]
    return companies[-1] if companies else (chain[0] if chain else unit)


def colleagues(unit: Unit):
    """Active employees of the unit's company: whom a deal split or a customer's choice may name."""
    return (
        Employee.objects.filter(unit__path__startswith=company_of(unit).path, status=EmploymentStatus.ACTIVE)
        .select_related("unit")
        .order_by("unit__path", "number")
    )


def department_of(unit: Unit) -> Unit:
    """The nearest department at or above the unit (a team's department); the unit when none."""
    above = {u.pk: u for u in Unit.objects.filter(pk__in=unit.ancestor_ids())}
    departments = [
        above[pk] for pk in unit.ancestor_ids() if pk in above and above[pk].kind == UnitKind.DEPARTMENT
    ]
    return departments[-1] if departments else unit
