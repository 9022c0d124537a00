"""ESC-1: matters that go up at once, not when a clock runs out.

"重大投诉 → 客服经理和领导; 重点反馈问题 → 领导; 重大问题或紧急情况 → 最高管理层"; and the 请示汇报
triggers — competition issues, leaks, major errors, matters beyond one's remit — go to the supervisor.
A jump over levels is an emergency escalation: the engine tells the skipped levels afterwards
(WF-6 "越级…事后应向领导汇报"). Each escalation writes a decision record naming its trigger.
"""

from kefu.cases import lifecycle
from kefu.cases.models import Family
from kefu.core import decisions
from kefu.core.actor import Actor
from kefu.customers.models import Tier
from kefu.engine.workflow import api as workflow

CLAUSE_MAJOR = "对于重大投诉或纠纷,客服部门要及时向公司领导汇报,寻求解决方案。"
CLAUSE_KEY = "客服部门对反馈内容进行分析,将重点问题上报公司领导,并提出解决方案。"
CLAUSE_EMERGENCY = "对于重大问题或突发事件,应立即上报至公司高层,并按照公司应急处理规定进行处理。"
MECHANISM = "001 · 客服部门机制方案初稿 §5"

# the 客服部主管's duty "对重大客户转交上级领导处理" [001 · 客服部门机制方案初稿 客服部主管职位概要 3]: a
# 重大客户 is a customer of the highest tier (战略, CUS-2: owned by the group's top management)
CLAUSE_MAJOR_CUSTOMER = "对重大客户转交上级领导处理"
MAJOR_CUSTOMER_TIERS = (Tier.STRATEGIC,)

# trigger → (chain level it goes to, zh, en, clause, seed · document)
TRIGGERS = {
    "major_customer": (
        1,
        "重大客户",
        "Major customer",
        CLAUSE_MAJOR_CUSTOMER,
        "001 · 客服部门机制方案初稿",
    ),
    "major_complaint": (2, "重大投诉", "Major complaint", CLAUSE_MAJOR, "001 · 公司规章制度客服运营方案"),
    "key_feedback": (3, "重点反馈问题", "Key feedback issue", CLAUSE_KEY, "004 · 公司客服管理制度"),
    "major_problem": (
        3,
        "重大问题或突发事件",
        "Major problem or emergency",
        CLAUSE_EMERGENCY,
        "000 · 客服报备方案",
    ),
    "competition": (1, "市场竞争问题", "Competition issue", "5.1工作中发现的市场竞争问题。", MECHANISM),
    "leak": (1, "泄密问题", "Leak", "5.2工作中发现的泄密问题。", MECHANISM),
    "major_error": (1, "重大差错", "Major error", "5.3发生重大差错、违反公司规定的情况。", MECHANISM),
    "out_of_remit": (
        1,
        "超出本职范围",
        "Beyond one's remit",
        "5.4超出本职范围以外需安排解决的问题。",
        MECHANISM,
    ),
}

# "为什么" names the trigger and the levels passed over in words (issue 13)
decisions.describe(
    values={
        "trigger": {code: (zh, en) for code, (_, zh, en, *_rest) in TRIGGERS.items()},
        "skipped": {level.name: (level.label_zh, level.label_en) for level in lifecycle.CHAIN.levels},
    }
)


def detected(case) -> list[str]:
    """Triggers the case carries by itself on receipt."""
    found = []
    if case.customer_id and case.customer.tier in MAJOR_CUSTOMER_TIERS:
        found.append("major_customer")  # ESC-1: to the owner's superior, first (a major complaint goes on up)
    if case.major and case.family == Family.COMPLAINT:
        found.append("major_complaint")
    elif case.major and case.family in (Family.IMPORTANT_EVENT, Family.RESCUE, Family.REPAIR):
        found.append("major_problem")
    elif case.major and case.family in (Family.FEEDBACK, Family.INTERNAL_REPORT):
        found.append("key_feedback")
    return found


def raise_trigger(actor: Actor, case, trigger: str, *, note: str = ""):
    """Escalate `case` for `trigger` (ESC-1) straight to its level; a lower current level is skipped."""
    level, zh, en, clause, source = TRIGGERS[trigger]
    current = workflow.current_level(case, "case")
    if current >= level:
        return None
    escalation = workflow.escalate(
        actor,
        case,
        "case",
        to_level=level,
        reason=f"{zh}：{note} / {en}: {note}" if note else f"{zh} / {en}",
        emergency=level > current + 1,
        automatic=actor.is_system,
        rule="ESC-1",
    )
    target = lifecycle.CHAIN.level(level)
    decisions.record(
        case,
        rule="ESC-1",
        outcome=f"{zh} → 升级至第 {level} 级（{target.label_zh}） / {en} → escalated to level {level} ({target.label_en})",
        inputs={"trigger": trigger, "from_level": current, "to_level": level, "skipped": escalation.skipped},
        policy_version=None,
        clause=clause,
        actor=None if actor.is_system else actor,
        source=source,
    )
    return escalation


def on_receipt(actor: Actor, case) -> None:
    for trigger in detected(case):
        raise_trigger(actor, case, trigger)
