"""Forms of the agent workbench: the queue's filters and the parsing of the case forms' input.

Forms parse; the rules (required reasons, guards, scopes) live in the actions, whose bilingual
refusals the pages show with the input kept.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.cases.models import CaseState, Channel, Priority
from kefu.org.forms import DateInput
from kefu.web.forms import BoundedDateField

BLANK = [("", "—")]
MINE, ALL = "mine", "all"


class QueueFilterForm(forms.Form):
    view = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[(MINE, _("My cases and my groups' queue")), (ALL, _("All cases I may see"))],
    )
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100, help_text=_("Number, title or full phone number")
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False, choices=BLANK + CaseState.choices)
    overdue = forms.ChoiceField(
        label=_("Overdue"), required=False, choices=[("", "—"), ("1", _("Yes")), ("0", _("No"))]
    )
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=BLANK + Channel.choices)
    received_from = BoundedDateField(label=_("Received from"), required=False, widget=DateInput())
    received_to = BoundedDateField(label=_("Received until"), required=False, widget=DateInput())

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = BLANK + [(k.code, k.name) for k in kinds]

    def filters(self) -> tuple[str, dict]:
        """(view, the filters of `queries.cases`); invalid input filters nothing."""
        if not self.is_valid():
            return MINE, {}
        data = self.cleaned_data
        return data["view"] or MINE, {
            "q": data["q"].strip(),
            "kind": data["kind"],
            "state": data["state"],
            "overdue": {"1": True, "0": False}.get(data["overdue"]),
            "received_from": data["received_from"],
            "received_to": data["received_to"],
        }


NEW_CASE_FIELDS = ("kind", "channel", "priority", "title", "description", "customer", "find")
CONTACT_FIELDS = ("name", "phone", "email")


def new_case_input(post, kinds) -> dict:
    """The new-case form as typed (kept on refusal): plain fields, the contact and the chosen kind's
    own fields (named `x-<kind>-<field>`)."""
    form = {name: post.get(name, "").strip() for name in NEW_CASE_FIELDS}
    form["contact"] = {name: post.get(f"contact_{name}", "").strip() for name in CONTACT_FIELDS}
    form["major"] = bool(post.get("major"))
    form["identity_verified"] = bool(post.get("identity_verified"))
    form["token"] = post.get("token", "")[:200]
    chosen = next((k for k in kinds if k.code == form["kind"]), None)
    form["extra"] = {}
    for kind in kinds:
        for spec in kind.fields or []:
            value = post.get(f"x-{kind.code}-{spec['name']}", "").strip()
            if kind is chosen and value:
                form["extra"][spec["name"]] = value
    form.setdefault("channel", Channel.PHONE)
    form["priority"] = form["priority"] or Priority.NORMAL
    return form


def satisfied_value(raw: str):
    """The satisfied select: "yes" / "no" / "" (not asked)."""
    return {"yes": True, "no": False}.get(raw)


# the inputs of a transition's small form, by the lifecycle's field name
TRANSITION_INPUTS = {
    "solution": ("textarea", _("Solution")),
    "customer_reply": ("textarea", _("What the customer is told")),
    "root_cause": ("textarea", _("Root cause (CASE-7)")),
    "corrective_action": ("textarea", _("Corrective action (CASE-7)")),
    "category": ("text", _("Problem category")),
    "product": ("text", _("Product or service")),
    "priority": ("priority", _("Priority")),
    "owner": ("owner", _("Owner")),
    "satisfied": ("satisfied", _("Customer satisfied?")),
}


def transition_data(post, move) -> dict:
    """The submitted values of the transition's declared fields (unknown inputs are ignored)."""
    data = {}
    for name in move.fields:
        if name not in post or name == "owner":
            continue
        value = post.get(name, "")
        if name == "satisfied":
            value = satisfied_value(value)
            if value is None:
                continue
        data[name] = value
    return data
