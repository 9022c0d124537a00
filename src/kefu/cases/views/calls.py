"""Pages of SLA-1 on the case page: the agent records the call's rings where no telephony log has it,
and a major quality problem is told to the office supervisor (the panel is `_calls_panel.html`)."""

from django.urls import path
from django.utils.translation import gettext_lazy

from kefu.cases.actions import calls as actions_calls
from kefu.cases.actions import notices as actions_notices
from kefu.cases.views import complaints

record_rings = complaints.form_view(
    lambda me, case, form: actions_calls.record_rings(me, case, form["rings"]),
    success=gettext_lazy("The call is recorded."),
    form_name="rings",
    fields=("rings",),
)

quality_notice = complaints.form_view(
    lambda me, case, form: actions_notices.notify_office(me, case, form["note"]),
    success=gettext_lazy("The office supervisor has been told."),
    form_name="quality-notice",
    fields=("note",),
)

urlpatterns = [
    path("cases/<int:pk>/rings/", record_rings, name="record_rings"),
    path("cases/<int:pk>/quality-notice/", quality_notice, name="quality_notice"),
]
