"""Forms of the customer pages. They parse and validate input; the rules live in actions."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kefu.customers.models import (
    AudienceCategory,
    ChangeRequestState,
    Confidentiality,
    CustomerKind,
    LifecycleStage,
    Novelty,
    Tier,
)
from kefu.customers.queries import FULL_FIELDS
from kefu.org.forms import DateInput, EmployeeChoiceField, UnitChoiceField
from kefu.org.models import Employee, Scope, Unit

BLANK = [("", "—")]
ENCRYPTED = FULL_FIELDS  # personal data, masked for editors without full view (SEC-2)


class CustomerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, help_text=_("Name, company or full phone number"))
    tier = forms.ChoiceField(label=_("Tier"), required=False, choices=BLANK + Tier.choices)
    audience = forms.ChoiceField(
        label=_("Audience"), required=False, choices=BLANK + AudienceCategory.choices
    )
    stage = forms.ChoiceField(
        label=_("Lifecycle stage"), required=False, choices=BLANK + LifecycleStage.choices
    )
    owner = forms.ModelChoiceField(label=_("Owner"), required=False, queryset=Employee.objects.none())
    at_risk = forms.ChoiceField(
        label=_("At risk"), required=False, choices=[("", "—"), ("1", _("Yes")), ("0", _("No"))]
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


PERSON_FIELDS = [
    "name",
    "gender",
    "birthday",
    "phone",
    "id_number",
    "address",
    "emergency_contact",
    "position",
    "company",
    "region",
    "needs",
    "source",
    "contact_window",
]
ORGANISATION_FIELDS = [
    "name",
    "phone",
    "id_number",
    "address",
    "region",
    "industry",
    "size",
    "assets",
    "founded_on",
    "first_trade_on",
    "qualifications",
    "needs",
    "source",
    "contact_window",
]
COMMON = [
    "unit",
    "owner",
    "tier",
    "audience",
    "family_of",
    "novelty",
    "credit_class",
    "stage",
    "at_risk",
    "annual_amount",
    "confidentiality",
    "confidential_until",
    "no_third_party_contact",
    "consent_external",
    "consent_marketing",
]


class CustomerForm(forms.Form):
    """Person or organisation (CUS-1); the classification dimensions stay separate (CUS-2)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    gender = forms.ChoiceField(
        label=_("Gender"), required=False, choices=[*BLANK, ("男", _("Male")), ("女", _("Female"))]
    )
    birthday = forms.DateField(label=_("Birthday"), required=False, widget=DateInput())
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    id_number = forms.CharField(label=_("ID number / credit code"), required=False, max_length=40)
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    emergency_contact = forms.CharField(label=_("Emergency contact"), required=False, max_length=200)
    position = forms.CharField(label=_("Position"), required=False, max_length=100)
    company = forms.CharField(label=_("Company"), required=False, max_length=200)
    region = forms.CharField(label=_("Region"), required=False, max_length=100)
    industry = forms.CharField(label=_("Industry"), required=False, max_length=100)
    size = forms.CharField(label=_("Size"), required=False, max_length=50)
    assets = forms.CharField(label=_("Assets"), required=False, max_length=100)
    founded_on = forms.DateField(label=_("Founded on"), required=False, widget=DateInput())
    first_trade_on = forms.DateField(label=_("First trade on"), required=False, widget=DateInput())
    qualifications = forms.CharField(
        label=_("Qualifications"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    needs = forms.CharField(
        label=_("Products / services needed"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    source = forms.CharField(label=_("Source"), required=False, max_length=100)
    contact_window = forms.CharField(label=_("Preferred contact window"), required=False, max_length=50)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    owner = EmployeeChoiceField(label=_("Owner"), queryset=Employee.objects.none(), required=False)
    tier = forms.ChoiceField(label=_("Tier"), choices=Tier.choices, initial=Tier.NORMAL)
    audience = forms.ChoiceField(label=_("Audience"), choices=AudienceCategory.choices, initial="A")
    family_of = EmployeeChoiceField(
        label=_("Family of (category D)"), queryset=Employee.objects.none(), required=False
    )
    novelty = forms.ChoiceField(label=_("New or important"), choices=Novelty.choices, initial=Novelty.NEW)
    credit_class = forms.IntegerField(label=_("Credit class"), required=False, min_value=1)
    stage = forms.ChoiceField(label=_("Lifecycle stage"), choices=LifecycleStage.choices)
    at_risk = forms.BooleanField(label=_("At risk"), required=False)
    annual_amount = forms.DecimalField(label=_("Annual amount (yuan)"), required=False, min_value=0)
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"),
        required=False,
        choices=[("", _("Default from the relationship (SEC-3)")), *Confidentiality.choices],
    )
    confidential_until = forms.DateField(
        label=_("Confidential until"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for the default period of the policy pack (SEC-3)."),
    )
    no_third_party_contact = forms.BooleanField(label=_("Do not contact third parties"), required=False)
    consent_external = forms.BooleanField(label=_("Consents to sharing outside the company"), required=False)
    consent_marketing = forms.BooleanField(label=_("Consents to marketing"), required=False)

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
        keep = (ORGANISATION_FIELDS if kind == CustomerKind.ORGANISATION else PERSON_FIELDS) + COMMON
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if units is not None:
            self.fields["unit"].queryset = units
        if people is not None:
            self.fields["owner"].queryset = people
            self.fields["family_of"].queryset = people
        if kind == CustomerKind.ORGANISATION:
            self.fields["phone"].label = _("Switchboard phone")
            self.fields["id_number"].label = _("Unified social credit code")
        if editing and self.masks:
            self._add_clear_boxes()

    def _add_clear_boxes(self) -> None:
        fields = {}
        for name, field in self.fields.items():
            fields[name] = field
            if name in ENCRYPTED:
                field.help_text = _("Shown masked (SEC-2): leave it as it is to keep the stored value.")
                fields[f"clear_{name}"] = forms.BooleanField(
                    label=_("Clear %(field)s") % {"field": field.label}, required=False
                )
        self.fields = fields

    def clean(self):
        data = super().clean()
        for name, mask in self.masks.items():
            if name not in self.fields:
                continue
            typed = (data.get(name) or "").strip()
            if data.get(f"clear_{name}") and typed and typed != mask:
                self.add_error(name, _("Either type a new value or tick “clear”, not both."))
            elif "*" in typed and typed != mask:
                self.add_error(name, _("Type the complete new value, or leave the masked value as it is."))
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


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    position = forms.CharField(label=_("Position"), required=False, max_length=100)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    email = forms.EmailField(label=_("Email"), required=False)
    is_key_person = forms.BooleanField(label=_("Key person"), required=False, initial=True)


class ContactRecordForm(forms.Form):
    note = forms.CharField(label=_("What was discussed"), widget=forms.Textarea(attrs={"rows": 3}))


class AssignForm(forms.Form):
    specialist = EmployeeChoiceField(
        label=_("Specialist"),
        queryset=Employee.objects.none(),
        required=False,
        help_text=_("Leave empty to pick the specialist with the fewest customers (CUS-7)."),
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["specialist"].queryset = candidates


class ChangeRequestFilterForm(forms.Form):
    """CUS-4 queue filter: pending (the default), approved, rejected or all."""

    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[*ChangeRequestState.choices, ("all", _("All"))],
    )

    def chosen(self) -> str:
        """The state to list ("" = all); pending when nothing or something invalid was asked for."""
        if not self.is_valid() or not self.cleaned_data["state"]:
            return ChangeRequestState.PENDING
        state = self.cleaned_data["state"]
        return "" if state == "all" else state


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
