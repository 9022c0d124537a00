"""Case pages: each concern's own `urlpatterns` (`cases/views/<concern>.py`)."""

from kefu.cases.views import (
    attachments,
    callers,
    calls,
    complaints,
    config,
    handoffs,
    intake,
    public,
    routing,
)
from kefu.cases.views import hardship as views_hardship

app_name = "cases"

urlpatterns = [
    *views_hardship.urlpatterns,  # 逾期报备 (HRD-1)
    *intake.urlpatterns,  # agent: queue, case page, new case
    *callers.urlpatterns,  # new case: the caller's history by phone
    *routing.urlpatterns,  # transfer, escalation; supervisor: team queues, availability, assignment
    *attachments.urlpatterns,  # a case's files
    *config.urlpatterns,  # case kinds and skill groups
    *complaints.urlpatterns,  # closure reports, compensation, staff-caused, root cause, recurrences
    *handoffs.urlpatterns,  # cross-department 报备
    *calls.urlpatterns,  # SLA-1: calls answered within rings, the major-quality notice
    *public.urlpatterns,  # public form and status page (no login)
]
