"""Who the 办公室主管 is for a case, and its pending major-quality notice (SLA-1, `actions/notices.py`)."""

from kefu.cases import lifecycle
from kefu.cases.models import Case
from kefu.engine.workflow import api as workflow
from kefu.engine.workflow.resolvers import role_holders

# the 客服主管 of the case's subsidiary stands for the 办公室主管 — without one, its 客服经理
# (docs/decisions.md, issue 18)
_SUPERVISORS = role_holders("cs_supervisor", unit_attr="unit")
_MANAGERS = role_holders("cs_manager", unit_attr="unit")


def office_supervisors(case: Case) -> list:
    """Who is told as the 办公室主管 of the case's subsidiary."""
    return _SUPERVISORS(case) or _MANAGERS(case)


# a breach re-escalates while the clock still runs: it stays open to the notice until the chain's top
WAITING = (workflow.TimerState.RUNNING, workflow.TimerState.PAUSED)


def pending_notice(case: Case, *, lock: bool = False):
    """The case's `quality_notice` clock while the office supervisor has not been told, else None."""
    found = workflow.clocks(case, states=WAITING, names=(lifecycle.QUALITY_NOTICE.name,))
    if lock:
        found = found.select_for_update(of=("self",))
    return found.order_by("-started_at", "-pk").first()
