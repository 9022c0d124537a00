"""How an app declares its workflow: lifecycles, timers, escalation chains, approval chains.

An app's `lifecycle.py` builds these frozen declarations and calls `register(...)`; the engine's
`actions.transition()`, the timer sweep and the approval functions read them from the registry.
Nothing here touches the database.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import translation

Resolver = Callable[[object], list]  # record → users (django User instances)


@dataclass(frozen=True)
class Label:
    """A name in both languages; a notification template prints it in the recipient's language."""

    zh: str
    en: str

    def __str__(self) -> str:
        return self.en if (translation.get_language() or "").startswith("en") else self.zh


@dataclass(frozen=True)
class Level:
    """One rung of an escalation chain: who is told at that level (WF-6)."""

    name: str
    label_zh: str
    label_en: str
    recipients: Resolver

    def __str__(self) -> str:  # notification templates print the level in the recipient's language
        return self.label_en if (translation.get_language() or "").startswith("en") else self.label_zh


@dataclass(frozen=True)
class EscalationChain:
    name: str
    levels: tuple[Level, ...]
    rule: str = "WF-6"

    def level(self, index: int) -> Level:
        return self.levels[index - 1]  # levels are numbered from 1; 0 means "not escalated"


@dataclass(frozen=True)
class TimerSpec:
    """A deadline started by a transition (WF-2).

    `policy_key` names a time entry of the policy pack (calendar time, business time or working
    days). `on_breach` is "notify", "escalate" (one level up `chain`) or "transition:<name>".
    With `escalate`, `reescalate_key` re-arms the timer after each level until the chain's top.
    The warning comes at `warn_at` (a fraction of the duration) or, when `warn_before` names a policy
    entry (calendar time or working days), that long before the deadline: N working days before means
    the opening of the Nth working day before the due day, so the warning arrives in office hours.
    """

    name: str
    policy_key: str
    on_breach: str = "notify"
    warn_at: float | None = 0.8
    warn_before: str | None = None  # policy key of a lead time; wins over `warn_at`
    warn_at_key: str | None = None  # policy key of a percentage of the duration; wins over `warn_at`
    chain: str | None = None
    reescalate_key: str | None = None
    notify: Resolver | None = None  # who is warned / told of the breach
    pause_in_states: tuple[str, ...] = ()
    label_zh: str = ""  # how people call this deadline, e.g. "首次响应时限"
    rule: str = "WF-2"


@dataclass(frozen=True)
class Transition:
    """A named move between states (WF-1).

    `roles` (role codes) or `permission` (a permission code, checked within the record's unit
    scope) say who may make it; `system` transitions are made by the engine only (timers). `required`
    fields must be non-empty after applying the submitted data; `fields` may be submitted too.
    """

    name: str
    source: tuple[str, ...]
    target: str
    label_zh: str
    label_en: str
    roles: tuple[str, ...] = ()
    permission: str | None = None
    system: bool = False
    required: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    start_timers: tuple[str, ...] = ()
    stop_timers: tuple[str, ...] = ()
    approval: str | None = None
    guard: Callable[[object, dict], tuple[str, str] | None] | None = None  # → (zh, en) refusal
    rule: str = "WF-1"


@dataclass(frozen=True)
class Lifecycle:
    model: str  # "app_label.ModelName"
    states: dict[str, tuple[str, str]]  # state → (中文, English)
    initial: str
    transitions: tuple[Transition, ...]
    timers: tuple[TimerSpec, ...] = ()
    # what people call the fields a transition requires: name → (中文, English); messages never show
    # a field's code (issue 13). Declared before `field` below, which shadows dataclasses.field here.
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)
    field: str = "state"
    unit_field: str | None = "unit"  # where the record sits in the org tree (data scope)
    owner_field: str | None = "owner"  # the employee whose own record it is ("own" scope)
    calendar_field: str | None = None  # the record's own calendar for business-time timers (SLA-2)
    related: tuple[str, ...] = ()  # relations the timer sweep loads with the record (select_related)
    rule: str = "WF-1"

    def transition(self, name: str) -> Transition | None:
        return next((t for t in self.transitions if t.name == name), None)

    def timer(self, name: str) -> TimerSpec | None:
        return next((t for t in self.timers if t.name == name), None)

    def available(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.source and not t.system]


@dataclass(frozen=True)
class Step:
    """One step of an approval chain (WF-4): included when `when(inputs)` holds."""

    name: str
    label_zh: str
    label_en: str
    approvers: Callable[[object, object], list]  # (record, requester employee) → users
    deadline_key: str | None = None
    when: Callable[[dict], bool] = field(default=lambda inputs: True)


@dataclass(frozen=True)
class ApprovalChain:
    """Ordered steps chosen by rule; the record moves by the named transitions when it ends."""

    name: str
    label_zh: str
    steps: tuple[Step, ...]
    on_approved: str | None = None
    on_rejected: str | None = None
    on_returned: str | None = None
    inputs: Callable[[object], dict] = field(default=lambda obj: {})  # record → facts the steps' rules read
    # When a step's usual approver is the requester or nobody, the step goes up the line of the
    # employee this returns (record, requester employee) → employee: by default the requester's
    # superior, at the top the group's leadership (WF-4, resolvers.next_level_up). None: no fallback.
    next_level_from: Callable[[object, object], object] | None = field(
        default=lambda obj, requester: requester
    )
    # Besides the requester (template approval.decided), who else is told of each decision, and with
    # which template: (record, decided step) → users; the decider is never told of their own decision.
    also_told: Callable[[object, object], list] | None = None
    also_told_template: str = ""
    rule: str = "WF-4"


_LIFECYCLES: dict[str, Lifecycle] = {}
_CHAINS: dict[str, EscalationChain] = {}
_APPROVALS: dict[str, ApprovalChain] = {}


def register(*items) -> None:
    for item in items:
        if isinstance(item, Lifecycle):
            _LIFECYCLES[item.model.lower()] = item
        elif isinstance(item, EscalationChain):
            _CHAINS[item.name] = item
        elif isinstance(item, ApprovalChain):
            _APPROVALS[item.name] = item
        else:
            raise TypeError(f"cannot register {item!r}")


def lifecycle_for(model_or_label) -> Lifecycle | None:
    label = model_or_label if isinstance(model_or_label, str) else model_or_label._meta.label
    return _LIFECYCLES.get(label.lower())


def chain(name: str) -> EscalationChain:
    return _CHAINS[name]


def approval_chain(name: str) -> ApprovalChain:
    return _APPROVALS[name]


def timer_spec(model_label: str, name: str) -> TimerSpec | None:
    lifecycle = _LIFECYCLES.get(model_label.lower())
    return lifecycle.timer(name) if lifecycle else None
