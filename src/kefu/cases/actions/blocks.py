"""Building blocks of the case actions: input checks, who handles a case, the first answer, the
earliest deadline, a note or reply, and what the customer wrote.

They sit below the actions that coordinate them (`intake`, `routing`, `complaints`, `handoffs`,
`public`, `mail_in`) and import none of them: a block never imports its coordinator.
"""

from django.db import transaction

from kefu.cases import sla
from kefu.cases.actions import mail_out
from kefu.cases.models import OPEN_STATES, Case, CaseState, Comment
from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, PermissionDenied
from kefu.engine.workflow import api as workflow
from kefu.org import access

TITLE_MAX = 200
TEXT_MAX = 20000
FINISHED = (CaseState.CLOSED, CaseState.ARCHIVED)


# ---------------------------------------------------------------- input checks


# what people call the texts a case takes: messages never show a field's code (issue 13)
TEXT_LABELS = {
    "title": "标题",
    "description": "描述",
    "body": "内容",
    "kind": "工单类型",
    "solution": "解决方案",
    "customer_reply": "给客户的答复",
    "resources": "所需资源",
    "preventive_measures": "预防措施",
    "note": "说明",
    "root_cause": "根本原因",
    "corrective_action": "纠正措施",
    "category": "类别",
    "product": "产品",
    "request": "报备内容",
    "question": "需澄清的问题",
    "clarification": "澄清内容",
    "reason": "原因",
    "report": "结案报告",
    "contact.name": "联系人姓名",
    "contact.phone": "联系电话",
    "contact.email": "电子邮箱",
    "Idempotency-Key": "幂等键（Idempotency-Key）",
}


def text(value, field: str, *, required: bool = False, limit: int = TEXT_MAX, label: str = "") -> str:
    """`value` as trimmed text of at most `limit` characters; `label` names it in messages (a kind's own
    field gives its label; the case's own texts are named in TEXT_LABELS)."""
    name = label or TEXT_LABELS.get(field, field)
    found = (value or "").strip() if isinstance(value, str) or value is None else None
    if found is None:
        raise Invalid("case_field_invalid", f"「{name}」格式无效", f"{field} is not text", {field: "invalid"})
    if required and not found:
        raise Invalid("case_field_required", f"请填写「{name}」", f"{field} is required", {field: "required"})
    if len(found) > limit:
        raise Invalid(
            "case_field_too_long",
            f"「{name}」不能超过 {limit} 个字符",
            f"{field} may have at most {limit} characters",
            {field: "too_long"},
        )
    return found


def choice(value, choices, field: str) -> str:
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise Invalid(
            f"case_{field}_invalid",
            f"{field} 无效，可选：{allowed}",
            f"Invalid {field}; one of: {allowed}",
            {field: "invalid"},
        )
    return value


# ---------------------------------------------------------------- who handles the case


def manages(actor: Actor, case: Case) -> bool:
    return access.record_in_scope(actor, "case.manage", unit=case.unit, owner_id=case.owner_id)


def is_owner(actor: Actor, case: Case) -> bool:
    employee = access.employee_of(actor.principal) if actor.principal is not None else None
    return employee is not None and case.owner_id == employee.pk


def require_handler(actor: Actor, case: Case, what_zh: str, what_en: str) -> None:
    """The case's owner or a holder of `case.manage` over it."""
    if not (is_owner(actor, case) or manages(actor, case)):
        raise PermissionDenied(
            f"只有工单负责人或主管可以{what_zh}",
            f"Only the case owner or a supervisor may {what_en}",
            code="case_handler_only",
        )


# ---------------------------------------------------------------- clocks


def refresh_due(case: Case) -> None:
    """Keep `next_due_at` — the earliest deadline of a running or missed clock — for the queue's order
    and the overdue filter (which looks at open cases only)."""
    due = workflow.next_due(case)
    if due != case.next_due_at:
        Case.objects.filter(pk=case.pk).update(next_due_at=due)
        case.next_due_at = due


def responded(case: Case) -> None:
    """The first answer to the customer stops the first-response clock (SLA-2)."""
    if case.first_response_at is None:
        case.first_response_at = clock.now()
        Case.objects.filter(pk=case.pk).update(first_response_at=case.first_response_at)
        workflow.stop(case, ["first_response"])


# ---------------------------------------------------------------- notes, replies, the customer's words


def comment(
    actor: Actor, case: Case, body: str, *, public: bool = False, authorised: bool = False
) -> Comment:
    """A note on the case, or (public) a reply to the customer, which counts as a response and
    restarts the next-update clock (SLA-2). `authorised`: the caller's action already checked the
    right (CASE-8: the receiving department tells the customer its reason and expected time)."""
    code = "case.handle" if public else "case.comment"
    if not authorised and not access.record_in_scope(actor, code, unit=case.unit, owner_id=case.owner_id):
        raise PermissionDenied(
            "您无权在此工单上留言", "You may not comment on this case", code="case_comment_forbidden"
        )
    body = text(body, "body", required=True)
    with transaction.atomic():
        note = Comment.objects.create(case=case, author=actor.user, public=public, body=body, at=clock.now())
        audit.record(actor, "cases.comment", case, after={"comment": note.pk, "public": public})
        if public:
            responded(case)
            if case.state in OPEN_STATES and case.state not in (CaseState.RECEIVED, CaseState.CLASSIFIED):
                sla.start(case, "next_update")
            mail_out.reply_to_customer(actor, case, note)  # CASE-2: the reply goes out by e-mail
        Case.objects.filter(pk=case.pk).update(updated_at=clock.now())
        refresh_due(case)
    return note


def customer_wrote(case: Case, body: str, *, message_id: str = "", actor: Actor | None = None) -> Comment:
    """The customer added to the case (an e-mail reply, the public status page). A waiting case resumes."""
    actor = actor or Actor.system("customer")
    with transaction.atomic():
        note = Comment.objects.create(
            case=case,
            from_customer=True,
            public=True,
            body=text(body, "body", required=True),
            at=clock.now(),
            message_id=message_id[:300],
        )
        audit.record(actor, "cases.customer_wrote", case, after={"comment": note.pk})
        if case.state == CaseState.WAITING:
            workflow.transition(actor, case, "resume", reason="客户回复 / the customer replied")
        Case.objects.filter(pk=case.pk).update(updated_at=clock.now())
        refresh_due(case)
    return note
