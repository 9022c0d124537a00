"""Read paths of CLM-11 sales plans: a report's versions, newest first, each with its approval's steps
(who decides, how it went) — two queries whatever the number of versions."""

from kefu.claims.models import PlanState, ProcessReport, SalesPlan
from kefu.engine.workflow import api as workflow


def plans_of(report: ProcessReport) -> list[SalesPlan]:
    """The report's plan versions, newest first; each with `steps` (its approval's decided and pending
    steps, in order) for the page."""
    rows = list(SalesPlan.objects.filter(report=report).select_related("author").order_by("-version"))
    requests = {}
    if rows:
        found = workflow.approvals(rows).prefetch_related(workflow.steps_in_order("decided_by__employee"))
        for request in found.prefetch_related("steps__approvers__employee"):
            requests[request.object_id] = request  # newest last: one request per version
    for plan in rows:
        plan.approval = requests.get(str(plan.pk))
    return rows


def usable(report: ProcessReport) -> SalesPlan | None:
    """The plan that may be told to the customer: the latest version, if approved (CLM-11)."""
    plan = SalesPlan.objects.filter(report=report).order_by("-version").first()
    return plan if plan is not None and plan.state == PlanState.APPROVED else None
