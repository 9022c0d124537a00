"""Building blocks of the 报备 actions beyond registration: who the actor is as an employee, and a
required text field. Below every actions module; imports none of them."""

from kefu.core.actor import Actor
from kefu.core.errors import Invalid
from kefu.org import access
from kefu.org.models import Employee


def me(actor: Actor) -> Employee | None:
    return access.employee_of(actor.principal)


# what each required text is called in the message (issue 13: never the field's code in Chinese)
REQUIRED_LABELS = {"reason": "理由", "text": "内容", "ruling": "裁决意见", "feedback": "跟进反馈"}


def required(value: str, field: str) -> str:
    if not (value or "").strip():
        raise Invalid(
            f"claim_{field}_required",
            f"请填写{REQUIRED_LABELS[field]}",
            f"{field} is required",
            {field: "required"},
        )
    return value.strip()
