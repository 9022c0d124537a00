"""CUS-7 on a customer's page: assign a specialist and record a contact (the forms and their posts)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kefu.core.errors import Invalid
from kefu.customers.actions import assignment as actions
from kefu.customers.views.blocks import post_action
from kefu.org.forms import EmployeeChoiceField
from kefu.org.models import Employee
from kefu.org.queries import employee_named
from kefu.web.support import web_view


class ContactRecordForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("What was discussed"), widget=forms.Textarea(attrs={"rows": 3}))


class AssignForm(forms.Form):
    specialist = EmployeeChoiceField(
        label=gettext_lazy("Specialist"),
        queryset=Employee.objects.none(),
        required=False,
        help_text=gettext_lazy(
            "Leave empty to pick, among the specialists who know the customer's industry, the one with the "
            "fewest customers (CUS-7)."
        ),
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["specialist"].queryset = candidates


@web_view
@require_POST
def contact_record(request, pk: int):
    note = request.POST.get("note", "")
    return post_action(request, pk, lambda me, c: actions.record_contact(me, c, note), _("Contact recorded."))


@web_view
@require_POST
def assign(request, pk: int):
    def run(me, customer):
        # an empty choice picks the least-loaded specialist; any other choice must be one (the action says why)
        raw = (request.POST.get("specialist") or "").strip()
        specialist = None
        if raw:
            try:
                specialist = employee_named(raw, "specialist", active=False)
            except Invalid:
                specialist = Employee(pk=0)  # unknown: refused by the action like any non-specialist
        actions.assign(me, customer, specialist)

    return post_action(request, pk, run, _("Specialist assigned."))
