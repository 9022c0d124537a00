"""Building blocks of the case pages: the clocks as the pages show them (label, state, time left or
overdue) and the priorities' own words. Clocks come from the engine's timers; time left is computed
on the server from `kefu.core.clock` (the page's script only keeps the text ticking)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from kefu.cases.models import Case
from kefu.cases.queries import intake as queries
from kefu.core import clock
from kefu.engine.calendars import api as calendars
from kefu.engine.workflow.api import TimerState
from kefu.web.support import remaining_text

LABELS = {
    "first_response": gettext_lazy("First response"),
    "next_update": gettext_lazy("Next update"),
    "resolution": gettext_lazy("Resolution"),
    "onsite": gettext_lazy("On site (major quality problem)"),
    "quality_notice": gettext_lazy("Office supervisor told (major quality problem)"),
    "expected": gettext_lazy("Expected time told to the customer"),
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
    """One clock as the page shows it: label, due, state, time left or overdue, and its alert —
    `breached` (red) once its deadline has passed, `warned` (amber) once its warning point has."""
    live = timer.state in (TimerState.RUNNING, TimerState.PAUSED)
    breached = timer.state == TimerState.BREACHED or timer.breached_at is not None
    left = timer.due_at - now if live or timer.state == TimerState.BREACHED else None
    overdue = breached or (left is not None and left.total_seconds() < 0)
    warned = (
        live
        and not overdue
        and (timer.warned_at is not None or (timer.warn_at is not None and now >= timer.warn_at))
    )
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
        "overdue": overdue,
        "warned": warned,
        "alert": "breached" if overdue else "warned" if warned else "",
        "text": text,
    }


def _urgency(view: dict) -> tuple:
    """Breached first, then warned, then the others; the earliest deadline first within each."""
    rank = 0 if view["overdue"] else 1 if view["warned"] else 2
    return rank, view["timer"].due_at


def one_per_name(timers) -> tuple[list, list]:
    """(current, history): each clock name once — its running or paused timer, else its latest one —
    and the timers it replaced (a cancelled or restarted clock is history, not a second row)."""
    current: dict[str, object] = {}
    history = []
    for timer in sorted(timers, key=lambda t: (t.started_at, t.pk)):
        kept = current.get(timer.name)
        live = timer.state in (TimerState.RUNNING, TimerState.PAUSED)
        if kept is not None and kept.state in (TimerState.RUNNING, TimerState.PAUSED) and not live:
            history.append(timer)
            continue
        if kept is not None:
            history.append(kept)
        current[timer.name] = timer
    return list(current.values()), history


def clocks_of(cases: list[Case]) -> dict[int, list[dict]]:
    """The clocks each case of a list shows, in one query, by case id: one per name, the breached
    and then the warned ones first (issue 13: an overdue case is never hidden in a queue)."""
    if not cases:
        return {}
    now = clock.now()
    timers: dict[int, list] = {c.pk: [] for c in cases}
    for timer in queries.listed_clocks(cases):
        timers[int(timer.object_id)].append(timer)
    return {
        pk: sorted((clock_view(t, now) for t in one_per_name(found)[0]), key=_urgency)
        for pk, found in timers.items()
    }


def mark_rows(cases: list[Case]) -> list[Case]:
    """Give each case of a list its clocks and its alert (`breached`, `warned` or "") for the row."""
    clocks = clocks_of(cases)
    for case in cases:
        case.clocks = clocks.get(case.pk, [])
        alerts = {c["alert"] for c in case.clocks}
        case.alert = "breached" if "breached" in alerts else "warned" if "warned" in alerts else ""
        case.overdue = case.alert == "breached"
    return cases


def all_clocks(case: Case) -> tuple[list[dict], list[dict]]:
    """The case's clocks, one row per name (oldest first), and the timers they replaced (history);
    each current clock with the years of its span that only the fallback calendar covers (CAL-3)."""
    now = clock.now()
    current, history = one_per_name(queries.all_clocks(case))
    shown = [clock_view(t, now) for t in current]
    spans = {c["name"]: _years(c["timer"]) for c in shown}
    # engine.calendars.api tells per year whether an official schedule is known; which days of a span
    # fall on the fallback is computed here from that (the api has no per-day answer)
    covered = calendars.coverage(sorted(set().union(*spans.values()))) if spans else {}
    for view in shown:
        view["fallback_years"] = [y for y in sorted(spans[view["name"]]) if not covered[y].official]
    return shown, [clock_view(t, now) for t in history]


def _years(timer) -> set[int]:
    start, end = clock.local(timer.started_at).year, clock.local(timer.due_at).year
    return set(range(start, end + 1))


def fallback_years(clocks: list[dict]) -> list[int]:
    """The years on which any of the case's current clocks was computed without an official schedule."""
    return sorted({y for c in clocks for y in c.get("fallback_years", ())})
