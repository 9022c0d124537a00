"""Customer archive pages (CUS-1…CUS-3, CUS-9, SEC-2, SEC-5): the list, a customer's page, the
create and edit forms, and the CUS-3 "archive complete" button; the forms they parse.

Thin: forms parse, queries read within the caller's scope, actions write. Phones are masked in lists;
the customer page shows full data only to holders of customer.view_full, and that read is audited.
Sales and marketing editing a customer send a change request (CUS-4, `changes`).
"""

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kefu.core.errors import DomainError
from kefu.customers import rules, timeline
from kefu.customers.actions import archive as actions
from kefu.customers.actions import changes
from kefu.customers.models import (
    AudienceCategory,
    ChangeRequestState,
    Confidentiality,
    CustomerKind,
    LifecycleStage,
    Novelty,
    Tier,
)
from kefu.customers.queries import archive as queries
from kefu.customers.queries import assignment, contacts, masks
from kefu.customers.views.assignment import AssignForm, ContactRecordForm
from kefu.customers.views.blocks import post_action
from kefu.customers.views.contacts import ContactForm
from kefu.org import access
from kefu.org.forms import DateInput, EmployeeChoiceField, UnitChoiceField
from kefu.org.models import Employee, Scope, Unit
from kefu.web.support import CappedPaginator, actor, apply_error, denied, render_list, web_view

BLANK = [("", "—")]


class CustomerFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        help_text=gettext_lazy("Name, company or full phone number"),
    )
    tier = forms.ChoiceField(label=gettext_lazy("Tier"), required=False, choices=BLANK + Tier.choices)
    audience = forms.ChoiceField(
        label=gettext_lazy("Audience"), required=False, choices=BLANK + AudienceCategory.choices
    )
    stage = forms.ChoiceField(
        label=gettext_lazy("Lifecycle stage"), required=False, choices=BLANK + LifecycleStage.choices
    )
    owner = forms.ModelChoiceField(
        label=gettext_lazy("Owner"), required=False, queryset=Employee.objects.none()
    )
    at_risk = forms.ChoiceField(
        label=gettext_lazy("At risk"),
        required=False,
        choices=[("", "—"), ("1", gettext_lazy("Yes")), ("0", gettext_lazy("No"))],
    )

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        at_risk = {"1": True, "0": False}.get(data["at_risk"])
        return {
            "q": data["q"].strip(),
            "tier": data["tier"],
            "audience": data["audience"],
            "stage": data["stage"],
            "owner_id": data["owner"].pk if data["owner"] else None,
            "at_risk": at_risk,
        }


def owner_choices(unit_paths: list[str]):
    """Employees who may own or be family of a customer here: the units in scope, plus group management."""
    condition = Q(role_assignments__role__scope=Scope.GROUP, role_assignments__role__supervisory_only=False)
    for path in unit_paths:
        condition |= Q(unit__path__startswith=path)
    return Employee.objects.filter(condition, status="active").select_related("unit").distinct()


class CustomerForm(forms.Form):
    """Person or organisation (CUS-1); the classification dimensions stay separate (CUS-2)."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    gender = forms.ChoiceField(
        label=gettext_lazy("Gender"),
        required=False,
        choices=[*BLANK, ("男", gettext_lazy("Male")), ("女", gettext_lazy("Female"))],
    )
    birthday = forms.DateField(label=gettext_lazy("Birthday"), required=False, widget=DateInput())
    phone = forms.CharField(label=gettext_lazy("Phone"), required=False, max_length=40)
    id_number = forms.CharField(label=gettext_lazy("ID number / credit code"), required=False, max_length=40)
    address = forms.CharField(label=gettext_lazy("Address"), required=False, max_length=300)
    emergency_contact = forms.CharField(
        label=gettext_lazy("Emergency contact"), required=False, max_length=200
    )
    position = forms.CharField(label=gettext_lazy("Position"), required=False, max_length=100)
    company = forms.CharField(label=gettext_lazy("Company"), required=False, max_length=200)
    region = forms.CharField(label=gettext_lazy("Region"), required=False, max_length=100)
    industry = forms.CharField(label=gettext_lazy("Industry"), required=False, max_length=100)
    size = forms.CharField(label=gettext_lazy("Size"), required=False, max_length=50)
    assets = forms.CharField(label=gettext_lazy("Assets"), required=False, max_length=100)
    founded_on = forms.DateField(label=gettext_lazy("Founded on"), required=False, widget=DateInput())
    first_trade_on = forms.DateField(label=gettext_lazy("First trade on"), required=False, widget=DateInput())
    qualifications = forms.CharField(
        label=gettext_lazy("Qualifications"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    needs = forms.CharField(
        label=gettext_lazy("Products / services needed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    source = forms.CharField(label=gettext_lazy("Source"), required=False, max_length=100)
    contact_window = forms.CharField(
        label=gettext_lazy("Preferred contact window"), required=False, max_length=50
    )
    unit = UnitChoiceField(label=gettext_lazy("Unit"), queryset=Unit.objects.none(), required=False)
    owner = EmployeeChoiceField(label=gettext_lazy("Owner"), queryset=Employee.objects.none(), required=False)
    tier = forms.ChoiceField(label=gettext_lazy("Tier"), choices=Tier.choices, initial=Tier.NORMAL)
    audience = forms.ChoiceField(
        label=gettext_lazy("Audience"), choices=AudienceCategory.choices, initial="A"
    )
    family_of = EmployeeChoiceField(
        label=gettext_lazy("Family of (category D)"), queryset=Employee.objects.none(), required=False
    )
    novelty = forms.ChoiceField(
        label=gettext_lazy("New or important"), choices=Novelty.choices, initial=Novelty.NEW
    )
    credit_class = forms.IntegerField(label=gettext_lazy("Credit class"), required=False, min_value=1)
    stage = forms.ChoiceField(label=gettext_lazy("Lifecycle stage"), choices=LifecycleStage.choices)
    at_risk = forms.BooleanField(label=gettext_lazy("At risk"), required=False)
    annual_amount = forms.DecimalField(
        label=gettext_lazy("Annual amount (yuan)"), required=False, min_value=0
    )
    confidentiality = forms.ChoiceField(
        label=gettext_lazy("Confidentiality"),
        required=False,
        choices=[("", gettext_lazy("Default from the relationship (SEC-3)")), *Confidentiality.choices],
    )
    confidential_until = forms.DateField(
        label=gettext_lazy("Confidential until"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy("Leave empty for the default period of the policy pack (SEC-3)."),
    )
    no_third_party_contact = forms.BooleanField(
        label=gettext_lazy("Do not contact third parties"), required=False
    )
    consent_external = forms.BooleanField(
        label=gettext_lazy("Consents to sharing outside the company"), required=False
    )
    consent_marketing = forms.BooleanField(label=gettext_lazy("Consents to marketing"), required=False)

    def __init__(
        self, *args, kind=CustomerKind.PERSON, units=None, people=None, editing=False, masks=None, **kwargs
    ):
        """`masks` (field → the masked value shown, SEC-2) when the editor may not see personal data in
        full: those fields start with the mask, keep the stored value unless a new one is typed, and get
        a "清空" box — the only way such an editor clears them."""
        self.masks = dict(masks or {})
        if self.masks:
            kwargs["initial"] = {**kwargs.get("initial", {}), **self.masks}
        super().__init__(*args, **kwargs)
        keep = (
            rules.ORGANISATION_FIELDS if kind == CustomerKind.ORGANISATION else rules.PERSON_FIELDS
        ) + rules.COMMON_FIELDS
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if units is not None:
            self.fields["unit"].queryset = units
        if people is not None:
            self.fields["owner"].queryset = people
            self.fields["family_of"].queryset = people
        if kind == CustomerKind.ORGANISATION:
            self.fields["phone"].label = gettext_lazy("Switchboard phone")
            self.fields["id_number"].label = gettext_lazy("Unified social credit code")
        if editing and self.masks:
            self._add_clear_boxes()

    def _add_clear_boxes(self) -> None:
        fields = {}
        for name, field in self.fields.items():
            fields[name] = field
            if name in masks.ENCRYPTED:
                field.help_text = gettext_lazy(
                    "Shown masked (SEC-2): leave it as it is to keep the stored value."
                )
                fields[f"clear_{name}"] = forms.BooleanField(
                    label=gettext_lazy("Clear %(field)s") % {"field": field.label}, required=False
                )
        self.fields = fields

    def clean(self):
        data = super().clean()
        for name, mask in self.masks.items():
            if name not in self.fields:
                continue
            typed = (data.get(name) or "").strip()
            if data.get(f"clear_{name}") and typed and typed != mask:
                self.add_error(name, gettext_lazy("Either type a new value or tick “clear”, not both."))
            elif "*" in typed and typed != mask:
                self.add_error(
                    name, gettext_lazy("Type the complete new value, or leave the masked value as it is.")
                )
        return data

    def values(self) -> dict:
        """The submitted values: a masked field left as shown (or empty) is not among them; a ticked
        "清空" box gives "" (clear)."""
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("clear_")}
        for name, mask in self.masks.items():
            if name not in data:
                continue
            if self.cleaned_data.get(f"clear_{name}"):
                data[name] = ""
            elif (data[name] or "").strip() in ("", mask):
                del data[name]  # unchanged: the mask never overwrites the stored value
        if not data.get("confidentiality"):
            data.pop("confidentiality", None)
        if data.get("unit") is None:
            data.pop("unit", None)
        return data


PER_PAGE = 30


def _people(me):
    paths = [g.anchor_path for g in access.grants(me, "customer.manage") if g.scope != "own"]
    mine = access.employee_of(me.principal)
    if mine is not None:
        paths.append(mine.unit.path)
    return owner_choices(paths)


@web_view
def customer_list(request):
    me = actor(request)
    if not access.can(me, "customer.view"):
        return denied(request)
    form = CustomerFilterForm(request.GET or None, owners=queries.owners(me))
    found = queries.customers(me, **form.filters()).prefetch_related("contacts")
    page = CappedPaginator(found, PER_PAGE).get_page(request.GET.get("page"))
    for customer in page.object_list:
        customer.masked_phone = masks.masked_phone(customer)
        key_person = any(c.is_key_person for c in customer.contacts.all())
        customer.completeness = rules.completeness(customer, has_key_person=key_person)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_manage": access.can(me, "customer.manage"),
        "can_verify": access.can(me, "customer.verify"),
        "can_export": access.can(me, "customer.export"),
    }
    return render_list(request, "customers/list.html", "customers/_results.html", context)


@web_view
def customer_create(request):
    me = actor(request)
    if not access.can(me, "customer.manage"):
        return denied(request)
    kind = CustomerKind.ORGANISATION if request.GET.get("kind") == "organisation" else CustomerKind.PERSON
    form = CustomerForm(
        request.POST or None, kind=kind, units=queries.placeable_units(me), people=_people(me)
    )
    if request.method == "POST" and form.is_valid():
        try:
            customer = actions.create_customer(me, kind=kind, **form.values())
        except DomainError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Customer %(name)s was created.") % {"name": customer.name})
            return redirect("customers:detail", customer.pk)
    return render(request, "customers/form.html", {"form": form, "kind": kind})


@web_view
def customer_edit(request, pk: int):
    me = actor(request)
    customer = queries.customer(me, pk)
    if not access.can(me, "customer.manage"):
        return denied(request)
    shown = masks.masked(
        customer, me, purpose="编辑客户档案 / edit customer"
    )  # SEC-5: a full read is audited
    initial = {name: getattr(customer, name) for name in rules.EDITABLE}
    hidden = {} if shown["full"] else {name: shown[name] for name in masks.FULL_FIELDS if shown[name]}
    via_request = changes.needs_change_request(me)
    form = CustomerForm(
        request.POST or None,
        kind=customer.kind,
        units=queries.placeable_units(me),
        people=_people(me),
        initial=initial,
        editing=True,
        masks=hidden,
    )
    if request.method == "POST" and form.is_valid():
        values = form.values()
        changed = {}
        for name, value in values.items():
            current = getattr(customer, name)
            if (current if current is not None else "") != (value if value is not None else ""):
                changed[name] = value
        try:
            if via_request:
                changes.request_change(me, customer, changed, reason=request.POST.get("reason", ""))
                messages.success(request, _("Your change request was sent to the info officer."))
            else:
                actions.update_customer(me, customer, **changed)
                messages.success(request, _("The customer was saved."))
        except DomainError as error:
            apply_error(form, error)
        else:
            return redirect("customers:detail", customer.pk)
    context = {"form": form, "customer": customer, "kind": customer.kind, "via_request": via_request}
    return render(request, "customers/form.html", context)


def missing_labels(customer) -> list[str]:
    """CUS-3: what the basic archive still lacks, each by the name the form gives it."""
    fields = CustomerForm.base_fields
    return [
        str(fields[name].label) if name in fields else _("Key person")
        for name in rules.missing_fields(customer)
    ]


@web_view
def customer_detail(request, pk: int):
    me = actor(request)
    customer = queries.customer(me, pk)
    manage = access.can(me, "customer.manage")
    context = {
        "customer": customer,
        "shown": masks.masked(customer, me, purpose="客户档案页 / customer page"),
        "contacts": contacts.contacts(me, customer),
        "completeness": rules.completeness(customer),
        "missing": missing_labels(customer),
        "timeline_days": timeline.by_day(queries.timeline(me, customer)[:100]),
        "can_manage": manage,
        "can_delete_ever": actions.can_be_deleted(customer),
        "contact_form": ContactForm() if manage else None,
        "record_form": ContactRecordForm() if manage else None,
        "assign_form": AssignForm(candidates=assignment.candidates(customer)) if manage else None,
        "first_contact": assignment.first_contact_timer(customer),
        "assignment_history": assignment.assignment_history(customer),
        "pending_requests": customer.change_requests.filter(state=ChangeRequestState.PENDING).count(),
    }
    return render(request, "customers/detail.html", context)


@web_view
@require_POST
def archive_complete(request, pk: int):
    return post_action(request, pk, actions.mark_archive_complete, _("The basic archive is marked complete."))
