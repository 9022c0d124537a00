"""Audit actions as people read them on /audit/ (issue 13): a transition by its lifecycle's label, other
actions by name; one no one named reads as a generic description, never as the raw key."""

from django.utils import translation

from kefu.engine.workflow.declare import lifecycle_for

ACTIONS: dict[str, tuple[str, str]] = {
    "cases.create": ("新建工单", "case created"),
    "cases.assign": ("分派工单", "case assigned"),
    "cases.transfer": ("转交工单", "case transferred"),
    "cases.comment": ("工单备注", "case comment"),
    "cases.closure_report": ("填写结案报告", "closure report"),
    "cases.handoff_send": ("工单交接", "case handoff"),
    "cases.staff_caused": ("认定员工责任", "staff caused"),
    "cases.recurrence": ("判定重复发生", "recurrence found"),
    "cases.compensation_request": ("申请赔偿", "compensation requested"),
    "claims.register": ("客户报备", "claim registered"),
    "claims.deposit": ("登记定金", "deposit recorded"),
    "claims.dispute": ("提出撞单争议", "dispute raised"),
    "claims.report_submit": ("提交过程报告", "process report submitted"),
    "claims.rule": ("修改报备规则", "claim rule changed"),
    "claims.customer_choice": ("登记客户选择", "customer choice"),
    "customer.create": ("新建客户档案", "customer created"),
    "customer.update": ("修改客户档案", "customer updated"),
    "discipline.propose": ("提出处罚建议", "penalty proposed"),
    "knowledge.article_created": ("新建知识文章", "article created"),
    "knowledge.article_edited": ("修改知识文章", "article edited"),
    "knowledge.article_published": ("发布知识文章", "article published"),
    "knowledge.digest_sent": ("发送知识周报", "knowledge digest sent"),
    "read.sensitive": ("查看敏感信息", "sensitive data read"),
    "workflow.escalate": ("逐级升级", "escalated"),
    "org.unit.create": ("新建组织单位", "unit created"),
    "org.unit.update": ("修改组织单位", "unit updated"),
    "org.employee.create": ("新建人员", "employee created"),
    "org.delegation.create": ("新建委托", "delegation created"),
    "org.employee.roles": ("调整人员角色", "roles changed"),
    "org.employee.update": ("修改人员信息", "employee updated"),
    "auth.password_change": ("修改密码", "password changed"),
    "mail.failed": ("邮件发送失败", "mail failed"),
    "mail.retry": ("邮件重试", "mail retried"),
}
GENERIC = ("其他操作", "other action")


def _pick(pair: tuple[str, str]) -> str:
    return pair[1] if (translation.get_language() or "").startswith("en") else pair[0]


def action_label(action: str) -> str:
    """ "cases.case.accept" → "工单：受理"; a named action by its name; anything else generically."""
    if action in ACTIONS:
        return _pick(ACTIONS[action])
    model, _, transition = action.rpartition(".")
    lifecycle = lifecycle_for(model) if model.count(".") == 1 else None
    move = lifecycle.transition(transition) if lifecycle is not None else None
    if move is not None:
        return _pick((move.label_zh, move.label_en))
    return _pick(GENERIC)
