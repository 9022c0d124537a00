"""Helpers shared by the archive-care actions."""

from kefu.core import decisions
from kefu.core.actor import Actor
from kefu.core.errors import Invalid
from kefu.customers.governance import queries
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


def record_routing(actor: Actor, obj, *, rule: str, clause: str, extra: dict | None = None, entry=None):
    """POL-3: who the approval chain asks, step by step, and why — shown under "为什么" on the page."""
    _approval, steps = queries.approval_steps(obj)
    inputs = {
        f"{s.index + 1}. {s.label_zh}": "、".join(sorted(u.get_username() for u in s.approvers.all()))
        for s in steps
    }
    inputs.update(extra or {})
    outcome = f"sent for approval: {len(steps)} step(s) / 送审 {len(steps)} 步"
    if entry is not None:
        return decisions.record_from_entry(obj, entry, outcome=outcome, inputs=inputs, actor=actor)
    return decisions.record(
        obj, rule=rule, outcome=outcome, inputs=inputs, policy_version=None, clause=clause, actor=actor
    )
