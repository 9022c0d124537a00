"""Which policy entry times a case (SLA-1, SLA-2): the most specific one the pack has.

Keys are `sla.<clock>` optionally qualified, in this order, by the case's kind family, priority,
customer tier and channel: `sla.complaint_first_response`, `sla.urgent_resolution`,
`sla.email_first_response` (SLA-1: e-mail answered the same day), `sla.complaint_urgent_resolution`. Candidates are tried from the
most qualified to the bare key; among equally qualified ones the order of the dimensions decides
(family, then priority, tier, channel). The choice and the candidates tried go into the decision
record, so "为什么" shows why a case got its deadline.
"""

from dataclasses import dataclass, replace
from itertools import combinations

from kefu.cases import lifecycle
from kefu.cases.models import Channel, Family
from kefu.core import clock as clock_
from kefu.core import decisions
from kefu.engine.policy import api as policy
from kefu.engine.workflow.actions import timers

DIMENSIONS = ("family", "priority", "tier", "channel")
FIXED = ("onsite", "quality_notice")  # SLA-1's own entries, the same for every case they apply to
CLOCK_NAMES = {spec.name: (spec.label_zh, spec.name.replace("_", " ")) for spec in lifecycle.CLOCKS}
decisions.describe(
    inputs={
        "family": ("工单大类", "kind"),
        "priority": ("优先级", "priority"),
        "tier": ("客户层级", "customer tier"),
        "channel": ("来源渠道", "channel"),
        "group": ("技能组", "skill group"),
        "owner": ("承办人", "owner"),
    },
    values={
        "family": Family.choices,
        "priority": {
            "low": ("低", "low"),
            "normal": ("普通", "normal"),
            "high": ("高", "high"),
            "urgent": ("紧急", "urgent"),
        },
        "channel": Channel.choices,
        "clock": CLOCK_NAMES,
    },
)


@dataclass(frozen=True)
class Choice:
    clock: str
    key: str
    tried: tuple[str, ...]


def facts(case) -> dict[str, str]:
    tier = case.customer.tier if case.customer_id else ""
    return {"family": case.family, "priority": case.priority, "tier": tier, "channel": case.channel}


def candidates(clock: str, values: dict[str, str]) -> list[str]:
    present = [d for d in DIMENSIONS if values.get(d)]
    keys = []
    for size in range(len(present), 0, -1):
        for combo in combinations(present, size):
            keys.append("sla." + "_".join([*(values[d] for d in combo), clock]))
    return [*keys, f"sla.{clock}"]


def choose(case, clock: str, *, at=None) -> Choice:
    tried = []
    for key in candidates(clock, facts(case)):
        tried.append(key)
        if policy.exists(key, at=at):
            return Choice(clock, key, tuple(tried))
    raise policy.unknown_key(f"sla.{clock}")


def start(case, clock: str, *, at=None, fresh: bool = False):
    """Start `clock` on the case with its chosen entry on the case's calendar; record why.
    `fresh`: the case was created in this transaction (one INSERT, no running clock to cancel).
    Within a request the candidates are tried against the version read once (kefu.core.memo)."""
    return timers.save(planned(case, clock, at=at, fresh=fresh))


def start_fresh(case, clocks: list[str]) -> list:
    """Start `clocks` on a case created in this transaction: one INSERT for all of them (issue 11)."""
    return timers.start_fresh([planned(case, clock, fresh=True) for clock in clocks])


def planned(case, clock: str, *, at=None, fresh: bool = False):
    """The timer of `clock`, planned with its chosen entry (why: a decision record), not yet saved."""
    spec = next(s for s in lifecycle.CLOCKS if s.name == clock)
    choice = choose(case, clock, at=at) if clock not in FIXED else Choice(clock, spec.policy_key, ())
    timer = timers.planned(
        case, replace(spec, policy_key=choice.key), unit=case.unit, at=at, calendar=case.calendar, fresh=fresh
    )
    entry = policy.lookup(choice.key, at=timer.started_at, unit=case.unit)
    decisions.record_from_entry(
        case,
        entry,
        outcome=f"{spec.label_zh}：{decisions.applied_text(entry)}，截止 {clock_.local(timer.due_at):%Y-%m-%d %H:%M}",
        inputs={**facts(case), "clock": clock, "calendar": case.calendar, "tried": list(choice.tried)},
    )
    return timer
