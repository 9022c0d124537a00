"""交接班 pages (HO-1): the handovers I give or take (and those I oversee), opening a temporary
handover, one handover with its items, both confirmations and the liability record."""

from datetime import timedelta

from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.cases.queries import intake as case_queries
from kefu.core import clock
from kefu.core.errors import DomainError
from kefu.followups.queries import tasks as revisit_queries
from kefu.org import access
from kefu.org.models import Employee
from kefu.web.support import actor, apply_error, attempt, web_view
from kefu.workforce.actions import handovers as actions
from kefu.workforce.models import HandoverState, ItemKind, LiabilityKind
from kefu.workforce.queries import handovers as queries


def state_label(handover) -> str:
    """The state as a person reads it: the model's "Open" reads 查看 (a button) in Chinese."""
    if handover.state == HandoverState.OPEN:
        return _("Handover in progress")
    return handover.get_state_display()


def link_items(me, items) -> None:
    """Each item's page — a case or revisit task the viewer may open; none for a running clock or
    for what is out of the viewer's scope (no dead link)."""
    ids = {kind: [i.object_id for i in items if i.kind == kind] for kind in (ItemKind.CASE, ItemKind.REVISIT)}
    shown = {
        ItemKind.CASE: set(
            case_queries.cases(me).filter(pk__in=ids[ItemKind.CASE]).values_list("pk", flat=True)
        )
        if ids[ItemKind.CASE]
        else set(),
        ItemKind.REVISIT: set(
            revisit_queries.tasks(me, state="all")
            .filter(pk__in=ids[ItemKind.REVISIT])
            .values_list("pk", flat=True)
        )
        if ids[ItemKind.REVISIT]
        else set(),
    }
    pages = {ItemKind.CASE: "cases:case", ItemKind.REVISIT: "followups:task"}
    for item in items:
        visible = item.object_id in shown.get(item.kind, set())
        item.link = reverse(pages[item.kind], args=[item.object_id]) if visible else ""


class TemporaryForm(forms.Form):
    minutes = forms.IntegerField(label=gettext_lazy("Minutes until I leave"), min_value=1, max_value=600)
    receiver = forms.ModelChoiceField(
        label=gettext_lazy("Receiver"), queryset=Employee.objects.none(), empty_label=gettext_lazy("Choose…")
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = people if people is not None else Employee.objects.none()


class ReceiverForm(forms.Form):
    receiver = forms.ModelChoiceField(
        label=gettext_lazy("Receiver"),
        queryset=Employee.objects.none(),
        required=False,
        empty_label=gettext_lazy("Choose…"),
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = people if people is not None else Employee.objects.none()


class LiabilityForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Liability"),
        choices=[
            (LiabilityKind.OMISSION, LiabilityKind.OMISSION.label),
            (LiabilityKind.TAKEOVER, LiabilityKind.TAKEOVER.label),
        ],
    )
    note = forms.CharField(label=gettext_lazy("What went wrong"), widget=forms.Textarea(attrs={"rows": 2}))


@web_view
def handovers(request):
    me = actor(request)
    employee = access.employee_of(me.principal)
    form = TemporaryForm(request.POST or None, people=queries.colleagues(employee))
    rows = list(queries.handovers(me)[:100])
    for row in rows:
        row.state_label = state_label(row)
    context = {"rows": rows, "form": form, "may_open": employee is not None}
    if request.method == "POST":
        if not form.is_valid():
            form.add_error(None, _("Please check the marked fields."))
            return render(request, "workforce/handovers.html", context, status=400)
        data = form.cleaned_data

        def page(error: DomainError):
            apply_error(form, error)
            return "workforce/handovers.html", context

        return attempt(
            request,
            lambda: actions.open_temporary(
                me,
                leaves_at=clock.now() + timedelta(minutes=data["minutes"]),
                receiver=data["receiver"],
                note=data["note"],
            ),
            success=_("The handover is open."),
            then=lambda h: reverse("workforce:handover", args=[h.pk]),
            page=page,
        )
    return render(request, "workforce/handovers.html", context)


@web_view
def handover(request, pk: int):
    me = actor(request)
    found = queries.handover(me, pk)
    employee = access.employee_of(me.principal)
    side = ""
    if employee is not None and employee.pk == found.leaver_id:
        side = "leaver"
    elif employee is not None and employee.pk == found.receiver_id:
        side = "receiver"
    confirmed = (side == "leaver" and found.leaver_confirmed_at) or (
        side == "receiver" and found.receiver_confirmed_at
    )
    may_manage = access.record_in_scope(me, "attendance.manage", unit=found.unit, owner_id=None) or (
        access.record_in_scope(me, "case.manage", unit=found.unit, owner_id=None)
    )
    receiver_form = ReceiverForm(request.POST or None, people=queries.colleagues(found.leaver))
    liability_form = LiabilityForm(request.POST if request.POST.get("what") == "liability" else None)
    items = list(queries.items(found))
    link_items(me, items)
    context = {
        "handover": found,
        "state_label": state_label(found),
        "items": items,
        "liabilities": list(queries.liabilities(found)),
        "side": side,
        "may_confirm": found.state == "open" and side and not confirmed,
        "ask_receiver": side == "leaver" and found.receiver_id is None,
        "receiver_form": receiver_form,
        "liability_form": liability_form,
        "may_manage": may_manage,
    }
    if request.method == "POST":
        if request.POST.get("what") == "liability":
            if not liability_form.is_valid():
                liability_form.add_error(None, _("Please check the marked fields."))
                return render(request, "workforce/handover.html", context, status=400)
            data = liability_form.cleaned_data

            def liability_page(error: DomainError):
                apply_error(liability_form, error)
                return "workforce/handover.html", context

            return attempt(
                request,
                lambda: actions.record_liability(me, found, kind=data["kind"], note=data["note"]),
                success=_("The liability was recorded."),
                then=reverse("workforce:handover", args=[found.pk]),
                page=liability_page,
            )
        receiver_form.is_valid()
        receiver = receiver_form.cleaned_data.get("receiver") if receiver_form.is_valid() else None

        def confirm_page(error: DomainError):
            apply_error(receiver_form, error)
            return "workforce/handover.html", context

        return attempt(
            request,
            lambda: actions.confirm(me, found, receiver=receiver),
            success=_("Your confirmation was recorded."),
            then=reverse("workforce:handover", args=[found.pk]),
            page=confirm_page,
        )
    return render(request, "workforce/handover.html", context)
