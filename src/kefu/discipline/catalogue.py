"""The offence catalogue with its ladders (DIS-1, CLM-7).

Numbers are never written here: each step names the policy-pack key that holds its amount or its
threshold. `step_for(offence, occurrence, at)` answers the measure, amount and policy entry that apply.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from kefu.core.errors import Invalid
from kefu.discipline.models import Measure
from kefu.engine.policy.api import lookup

LEAK_FOR_REWARD_CLAUSE = "私自将本公司报备泄露给其它公司获得报酬的无论多少一经发现立刻除名"
UNREPORTED_REST_CLAUSE = "客服人员未按规定提前报备休息时间,一经发现,将被扣除当月奖金"
LATE_APPROVAL_CLAUSE = "案场负责人未按时审批休息申请,导致工作出现失误的,将按照公司相关规定承担相应责任"
# APR-1: the appraisal's reward for the outstanding and the penalty after coaching that did not bring the
# person up to the threshold (seed 004 第二十二条, seed 001 §第六条 奖惩措施)
OUTSTANDING_CLAUSE = "对表现优异的员工给予表彰和奖励,激发员工工作积极性"
NOT_MET_CLAUSE = "表现优异的员工将获得奖金、晋升机会等奖励;表现差的员工将受到处罚,包括警告、降职等"
MISCONDUCT_CLAUSE = "对于泄露客户信息的员工,公司将严肃处理,包括警告、记过、调岗甚至辞退"


@dataclass(frozen=True)
class Offence:
    code: str
    name_zh: str
    name_en: str
    rule: str
    kind: str = "penalty"  # or "reward" (ProposalKind)
    source: str = "000 · 客户报备制度"  # the seed document its clause is quoted from


CATALOGUE = {
    o.code: o
    for o in (
        Offence("false_registration", "虚假报备", "False registration", "CLM-7"),
        Offence("leak", "泄露报备客户给其他公司", "Leaking registered customers to another company", "CLM-7"),
        Offence("leak_for_reward", "泄露报备获取报酬", "Leaking registered customers for reward", "CLM-7"),
        Offence("info_misconduct", "泄露或滥用客户信息", "Leaking or misusing customer information", "DIS-1"),
        Offence("unreported_rest", "未按规定报备休息", "Rest taken without a request", "LV-6"),
        Offence(
            "late_leave_approval",
            "未按时审批休息申请导致失误",
            "Late leave approval that caused an error",
            "LV-6",
        ),
        Offence(
            "appraisal_outstanding",
            "考核优秀（优秀员工）",
            "Outstanding in the appraisal",
            "APR-1",
            "reward",
            "004 · 客户中心管理制度",
        ),
        Offence(
            "appraisal_not_met",
            "辅导后考核仍未达标",
            "Still below the appraisal threshold after coaching",
            "APR-1",
            "penalty",
            "001 · 机制方案初稿",
        ),
    )
}
# measures HR may choose for a catalogue offence without a ladder (警告/记过/调岗/辞退)
FREE_MEASURES = (Measure.WARNING, Measure.DEMERIT, Measure.TRANSFER, Measure.DISMISSAL)


@dataclass(frozen=True)
class Step:
    measure: str
    amount: Decimal | None
    entry: object | None  # the policy Entry applied, None when the clause is quoted from the seed
    rule: str
    clause: str


def offence(code: str) -> Offence:
    if code not in CATALOGUE:
        raise Invalid(
            "discipline_unknown_offence",
            f"未知的违规类型：{code}",
            f"Unknown offence: {code}",
            {"offence": "unknown"},
        )
    return CATALOGUE[code]


def step_for(code: str, occurrence: int, *, at: datetime, quantity: int = 1, measure: str = "") -> Step:
    """The ladder step for the `occurrence`-th offence of kind `code` (1-based)."""
    item = offence(code)
    if code == "false_registration":
        dismissal = lookup("claims.false_registration_dismissal_at", at=at)
        if occurrence >= int(dismissal.value):
            return Step(Measure.DISMISSAL, None, dismissal, dismissal.rule, dismissal.clause)
        key = "claims.false_registration_fine_1" if occurrence == 1 else "claims.false_registration_fine_2"
        entry = lookup(key, at=at)
        return Step(Measure.FINE, Decimal(entry.value), entry, entry.rule, entry.clause)
    if code == "leak":
        entry = lookup("claims.leak_fine_per_customer", at=at)
        return Step(Measure.FINE, Decimal(entry.value) * quantity, entry, entry.rule, entry.clause)
    if code == "leak_for_reward":
        return Step(Measure.DISMISSAL, None, None, item.rule, LEAK_FOR_REWARD_CLAUSE)
    if code == "unreported_rest":  # LV-6: the seed names the measure, no number
        return Step(Measure.BONUS_DEDUCTION, None, None, item.rule, UNREPORTED_REST_CLAUSE)
    if code == "late_leave_approval":
        return Step(Measure.LIABILITY, None, None, item.rule, LATE_APPROVAL_CLAUSE)
    if code == "appraisal_outstanding":
        return Step(Measure.COMMENDATION, None, None, item.rule, OUTSTANDING_CLAUSE)
    if code == "appraisal_not_met":
        return Step(Measure.WARNING, None, None, item.rule, NOT_MET_CLAUSE)
    if measure not in FREE_MEASURES:
        raise Invalid(
            "discipline_measure_required",
            "请选择处理措施：警告、记过、调岗或辞退",
            "Choose a measure: warning, demerit, transfer or dismissal",
            {"measure": "required"},
        )
    return Step(measure, None, None, item.rule, MISCONDUCT_CLAUSE)


# offences whose measure follows a ladder in the policy pack (never chosen by hand), and the one fined
# per customer concerned
LADDERS = (
    "false_registration",
    "leak",
    "leak_for_reward",
    "unreported_rest",
    "late_leave_approval",
    "appraisal_outstanding",
    "appraisal_not_met",
)
PER_CUSTOMER = ("leak",)
