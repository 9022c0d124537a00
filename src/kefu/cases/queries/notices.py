"""Who the 办公室主管 is for a case, and its pending major-quality notice (SLA-1, `actions/notices.py`)."""

from kefu.cases import lifecycle
from kefu.cases.models import Case, QualityNotice
from kefu.engine.workflow import api as workflow
from kefu.engine.workflow.resolvers import role_holders

# the 客服主管 of the case's subsidiary stands for the 办公室主管 — without one, its 客服经理
# (docs/decisions.md, issue 18)
_SUPERVISORS = role_holders("cs_supervisor", unit_attr="unit")
_MANAGERS = role_holders("cs_manager", unit_attr="unit")


def office_supervisors(case: Case) -> list:
    """Who is told as the 办公室主管 of the case's subsidiary."""
    return _SUPERVISORS(case) or _MANAGERS(case)


# missed, the clock re-escalates while running and ends `breached` at the chain's top: the office
# supervisor is still to be told until a `QualityNotice` says they were
WAITING = (workflow.TimerState.RUNNING, workflow.TimerState.PAUSED, workflow.TimerState.BREACHED)


def pending_notice(case: Case):
    """The case's `quality_notice` clock while the office supervisor has not been told, else None."""
    if QualityNotice.objects.filter(case=case).exists():
        return None
    found = workflow.clocks(case, states=WAITING, names=(lifecycle.QUALITY_NOTICE.name,))
    return found.order_by("-started_at", "-pk").first()
