"""What the agent workbench shows, read from the case and its workflow records (no writes here).

Clocks come from the engine's timers; time left is computed on the server from `kefu.core.clock`
(the page's script only keeps the text ticking). The timeline merges receipt, state changes,
comments, transfers, escalations and attachments in time order.
"""

from django.db.models import Q
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _

from kefu.cases import lifecycle, routing
from kefu.cases.models import Attachment, Case, Comment, SkillGroup, Transfer
from kefu.core import clock
from kefu.engine.workflow import api as workflow
from kefu.engine.workflow.api import TimerState
from kefu.org.models import Employee, EmploymentStatus
from kefu.web.support import remaining_text

LABELS = {
    "first_response": gettext_lazy("First response"),
    "next_update": gettext_lazy("Next update"),
    "resolution": gettext_lazy("Resolution"),
    "onsite": gettext_lazy("On site (major quality problem)"),
}

# the priority's own words: "Normal (普通)" is also a customer tier, translated otherwise
PRIORITIES = [
    ("low", pgettext_lazy("case priority", "Low")),
    ("normal", pgettext_lazy("case priority", "Normal")),
    ("high", pgettext_lazy("case priority", "High")),
    ("urgent", pgettext_lazy("case priority", "Urgent")),
]

TIMER_STATES = {
    TimerState.RUNNING: gettext_lazy("running"),
    TimerState.PAUSED: gettext_lazy("paused"),
    TimerState.DONE: gettext_lazy("met"),
    TimerState.BREACHED: gettext_lazy("breached"),
    TimerState.CANCELLED: gettext_lazy("cancelled"),
}


def in_language(zh: str, en: str) -> str:
    return en if (get_language() or "").startswith("en") else zh


def clock_view(timer, now) -> dict:
    """One clock as the page shows it: label, due, state, time left or overdue."""
    live = timer.state in (TimerState.RUNNING, TimerState.PAUSED)
    left = timer.due_at - now if live else None
    overdue = left is not None and left.total_seconds() < 0
    if left is None:
        text = ""
    elif overdue:
        text = _("overdue by %(left)s") % {"left": remaining_text(-left)}
    else:
        text = remaining_text(left)
    return {
        "timer": timer,
        "name": timer.name,
        "label": LABELS.get(timer.name, timer.name),
        "state": TIMER_STATES.get(timer.state, timer.state),
        "live": live,
        "paused": timer.state == TimerState.PAUSED,
        "overdue": overdue or timer.state == TimerState.BREACHED,
        "text": text,
    }


def clocks_of(cases: list[Case]) -> dict[int, list[dict]]:
    """The running and paused clocks of many cases in one query, by case id, soonest first."""
    if not cases:
        return {}
    timers = workflow.clocks(cases, states=(TimerState.RUNNING, TimerState.PAUSED)).order_by("due_at", "pk")
    now = clock.now()
    found: dict[int, list[dict]] = {c.pk: [] for c in cases}
    for timer in timers:
        found[int(timer.object_id)].append(clock_view(timer, now))
    return found


def all_clocks(case: Case) -> list[dict]:
    """Every clock the case ever had (running, paused, done, breached), oldest first."""
    now = clock.now()
    return [clock_view(t, now) for t in workflow.clocks(case)]


def escalations(case: Case):
    rows = list(workflow.escalations(case).select_related("actor__employee").order_by("at", "pk"))
    for row in rows:
        row.label = (
            str(lifecycle.CHAIN.level(row.level))
            if row.level <= len(lifecycle.CHAIN.levels)
            else row.level_name
        )
    return rows


def _who(user) -> str:
    if user is None:
        return _("System")
    employee = getattr(user, "employee", None)
    return employee.name if employee is not None else user.get_username()


def timeline(case: Case, escalated=None) -> list[dict]:
    """Receipt, transitions, comments, transfers, escalations and attachments, oldest first."""
    states = {name: in_language(*labels) for name, labels in lifecycle.CASE.states.items()}
    moves = {t.name: in_language(t.label_zh, t.label_en) for t in lifecycle.CASE.transitions}
    rows = [
        {"at": case.received_at, "kind": _("Case received"), "what": case.title, "by": _who(case.created_by)}
    ]
    for change in workflow.history(case).select_related("actor__employee"):
        target = states.get(change.to_state, change.to_state)
        rows.append(
            {
                "at": change.at,
                "kind": _("Transition"),
                "what": f"{moves.get(change.transition, change.transition)} → {target}",
                "detail": change.reason,
                "by": _who(change.actor),
            }
        )
    for note in Comment.objects.filter(case=case).select_related("author__employee"):
        if note.from_customer:
            kind, by = _("Customer wrote"), case.contact_name or _("Customer")
        else:
            kind, by = (_("Reply to the customer") if note.public else _("Internal note")), _who(note.author)
        rows.append({"at": note.at, "kind": kind, "what": note.body, "by": by, "comment": True})
    for move in Transfer.objects.filter(case=case).select_related("to_owner", "to_unit", "by__employee"):
        target = move.to_owner.name if move.to_owner else move.to_unit.name
        bounce = f" · {_('bounce')}" if move.bounce else ""
        rows.append(
            {
                "at": move.at,
                "kind": _("Transfer"),
                "what": f"→ {target}{bounce}",
                "detail": move.reason,
                "by": _who(move.by),
            }
        )
    for step in escalated if escalated is not None else escalations(case):
        rows.append(
            {
                "at": step.at,
                "kind": _("Escalation"),
                "what": f"{step.level} · {step.label}",
                "detail": step.reason,
                "by": _("System") if step.automatic else _who(step.actor),
            }
        )
    for item in Attachment.objects.filter(case=case).select_related("uploaded_by__employee"):
        rows.append({"at": item.at, "kind": _("Attachment"), "what": item.name, "by": _who(item.uploaded_by)})
    rows.sort(key=lambda row: row["at"])
    return rows


def transfer_targets(case: Case) -> tuple[list[SkillGroup], list[Employee]]:
    """Whom the case may go to: the skill groups and active people of its subsidiary."""
    path = routing._subsidiary_path(case.unit)
    groups = list(SkillGroup.objects.filter(active=True, unit__path__startswith=path).order_by("name"))
    people = list(
        Employee.objects.filter(
            Q(unit__path__startswith=path) | Q(skill_groups__in=groups), status=EmploymentStatus.ACTIVE
        )
        .select_related("unit")
        .distinct()
        .order_by("unit__path", "name")
    )
    return groups, people
