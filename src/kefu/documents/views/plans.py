"""工作计划 pages (DOC-1): the plans I may see with done and overdue counts, the form to draw one up; a
plan with its items (overdue highlighted), the progress form for the owner or a manager, new items."""

from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.core import clock
from kefu.core.errors import DomainError
from kefu.documents.actions import plans as actions
from kefu.documents.models import ItemStatus, PlanKind
from kefu.documents.queries import common
from kefu.documents.queries import plans as queries
from kefu.documents.views.policies import CHECK, DATE
from kefu.engine.policy import api as policy_pack
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit
from kefu.web.support import actor, apply_error, attempt, record_id, web_view


class PlanForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=PlanKind.choices)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=gettext_lazy("Plan title"), max_length=200)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = common.manage_units(actor)
        self.initial.setdefault("year", clock.today().year)


class ItemForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Item"), max_length=500)
    owner = forms.ModelChoiceField(label=gettext_lazy("Owner"), queryset=Employee.objects.none())
    due_on = forms.DateField(label=gettext_lazy("Due date"), widget=DATE)

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        path = (policy_pack.subsidiary_of(unit) or unit).path
        self.fields["owner"].queryset = (
            Employee.objects.filter(status=EmploymentStatus.ACTIVE, unit__path__startswith=path)
            .select_related("unit")
            .order_by("unit__path", "number")
        )
        self.fields["owner"].label_from_instance = lambda e: f"{e.name}（{e.unit.name}）"


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label=gettext_lazy("Percent done"), min_value=0, max_value=100)
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ItemStatus.choices)
    note = forms.CharField(label=gettext_lazy("Progress note"), max_length=500, required=False)


@web_view
def plans(request):
    me = actor(request)
    form = PlanForm(request.POST or None, actor=me) if access.write_grants(me, common.MANAGE) else None
    context = {"rows": list(queries.plans(me)[:200]), "form": form}
    if request.method != "POST" or form is None:
        return render(request, "documents/plans.html", context)
    if not form.is_valid():
        form.add_error(None, CHECK)
        return render(request, "documents/plans.html", context, status=400)
    data = form.cleaned_data

    def page(error: DomainError):
        apply_error(form, error)
        return "documents/plans.html", context

    return attempt(
        request,
        lambda: actions.create_plan(
            me, unit=data["unit"], kind=data["kind"], year=data["year"], title=data["title"]
        ),
        success=_("The plan was drawn up; add its items."),
        then=lambda p: reverse("documents:plan", args=[p.pk]),
        page=page,
    )


@web_view
def plan(request, pk: int):
    me = actor(request)
    found = queries.plan(me, pk)
    what = request.POST.get("what", "") if request.method == "POST" else ""
    manage = access.may_write(me, common.MANAGE, unit=found.unit, owner_id=None)
    rows = queries.items(found)
    for row in rows:
        row.may_report = actions.may_report(me, row)
    item_form = ItemForm(request.POST if what == "item" else None, unit=found.unit)
    context = {
        "plan": found,
        "items": rows,
        "may_manage": manage,
        "item_form": item_form,
        "statuses": ItemStatus.choices,
    }
    if request.method != "POST":
        return render(request, "documents/plan.html", context)
    here = reverse("documents:plan", args=[found.pk])

    def page(error: DomainError):
        if what == "item":
            apply_error(item_form, error)
        else:
            context["error"] = error.message
        return "documents/plan.html", context

    if what == "progress":
        target = next((r for r in rows if r.pk == record_id(request.POST.get("item"))), None)
        progress = ProgressForm(request.POST)
        if target is None or not progress.is_valid():
            context["error"] = _("Please give the percent done (0 to 100) and the status.")
            return render(request, "documents/plan.html", context, status=400)
        data = progress.cleaned_data
        return attempt(
            request,
            lambda: actions.report_progress(
                me, target, percent=data["percent"], status=data["status"], note=data["note"]
            ),
            success=_("The progress was recorded."),
            then=here,
            page=page,
        )
    if what != "item" or not item_form.is_valid():
        item_form.add_error(None, CHECK)
        return render(request, "documents/plan.html", context, status=400)
    data = item_form.cleaned_data
    return attempt(
        request,
        lambda: actions.add_item(me, found, actions.ItemIn(data["text"], data["owner"], data["due_on"])),
        success=_("The item was added and its owner told."),
        then=here,
        page=page,
    )
