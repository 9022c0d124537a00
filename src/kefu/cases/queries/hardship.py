"""HRD-1 逾期报备 reads: a report is seen exactly when its case is (the case's scope, 404 otherwise)."""

from kefu.cases.models import HardshipCall, HardshipReminder, HardshipReport
from kefu.cases.queries import intake
from kefu.cases.queries.scope import ID_LIMIT
from kefu.core.actor import Actor
from kefu.core.errors import NotFound


def reports(actor: Actor, *, open_only: bool = True):
    """The 逾期报备 the actor may see, the nearest overdue date first."""
    cases = intake.cases(actor, kind="hardship", open_only=open_only).values("pk")
    return (
        HardshipReport.objects.filter(case_id__in=cases)
        .select_related("case__owner", "case__customer", "agent")
        .order_by("overdue_on", "pk")
    )


def report(actor: Actor, case_id) -> HardshipReport:
    """The report of a case in the actor's scope; NotFound (404) otherwise, or when it has none."""
    case = intake.case(actor, case_id)
    found = (
        HardshipReport.objects.filter(case=case)
        .select_related("case__owner", "case__customer", "case__unit", "agent", "recording")
        .first()
    )
    if found is None:
        raise NotFound("逾期报备", "hardship report")
    found.case = case
    return found


def calls(report: HardshipReport):
    return HardshipCall.objects.filter(report=report).select_related("by", "recording").order_by("at", "pk")


def reminders(report: HardshipReport):
    return HardshipReminder.objects.filter(report=report).select_related("sent_to").order_by("due_at", "pk")


def recording(report: HardshipReport, attachment_id):
    """A recording of the report (the report call or a logged call); NotFound (404) otherwise."""
    pk = int(attachment_id)
    ids = {report.recording_id, *calls(report).exclude(recording=None).values_list("recording_id", flat=True)}
    if not 0 < pk < ID_LIMIT or pk not in ids:
        raise NotFound("录音", "recording")
    return report.case.attachments.get(pk=pk)
