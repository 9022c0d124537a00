"""Helpers shared by the archive-care actions."""

from kefu.core.actor import Actor
from kefu.core.errors import Invalid
from kefu.org import access
from kefu.org.models import Employee

ID_KIND = "id"  # blind-index kind of 身份证号 / 统一社会信用代码


def _purpose(text: str, field: str = "purpose") -> str:
    text = (text or "").strip()
    if not text:
        raise Invalid(f"{field}_required", "请填写用途或原因", "A purpose is required", {field: "required"})
    return text[:500]


def _employee(actor: Actor) -> Employee:
    employee = access.employee_of(actor.principal)
    if employee is None:
        raise Invalid("no_employee", "您的账号未关联员工", "Your account is not linked to an employee")
    return employee
