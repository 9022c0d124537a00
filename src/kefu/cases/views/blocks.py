"""Building blocks of the case pages: the clocks as the pages show them (label, state, time left or
overdue) and the priorities' own words. Clocks come from the engine's timers; time left is computed
on the server from `kefu.core.clock` (the page's script only keeps the text ticking)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from kefu.cases.models import Case
from kefu.cases.queries import intake as queries
from kefu.core import clock
from kefu.engine.workflow.api import TimerState
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
    timers = queries.live_clocks(cases)
    now = clock.now()
    found: dict[int, list[dict]] = {c.pk: [] for c in cases}
    for timer in timers:
        found[int(timer.object_id)].append(clock_view(timer, now))
    return found


def all_clocks(case: Case) -> list[dict]:
    """Every clock the case ever had (running, paused, done, breached), oldest first."""
    now = clock.now()
    return [clock_view(t, now) for t in queries.all_clocks(case)]
