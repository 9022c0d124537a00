"""Forms of the shifts pages (WFM-1)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.workforce.models import DayKind


class TemplateForm(forms.Form):
    code = forms.SlugField(
        label=_("Shift code"),
        max_length=20,
        help_text=_("Letters, digits and hyphens: it tells the shifts apart and staff do not see it."),
    )
    name = forms.CharField(label=_("Shift name"), max_length=50)
    starts = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(
        label=_("Ends"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("At or before the start: the shift ends the next day."),
    )
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)


class CoverageForm(forms.Form):
    template = forms.ChoiceField(label=_("Shift"))
    day_kind = forms.ChoiceField(label=_("Kind of day"), choices=DayKind.choices)
    min_staff = forms.IntegerField(label=_("Minimum staff"), min_value=0, max_value=500)
    skill_group = forms.ChoiceField(label=_("Skill group"), required=False)
    min_skilled = forms.IntegerField(
        label=_("Of whom from the skill group"), min_value=0, max_value=500, initial=0
    )

    def __init__(self, *args, templates=(), groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [(t.pk, t.name) for t in templates]
        self.fields["skill_group"].choices = [("", "—")] + [(g.pk, g.name) for g in groups]


class DraftForm(forms.Form):
    starts_on = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class CallInForm(forms.Form):
    employee = forms.ChoiceField(label=_("Who"))
    starts_at = forms.DateTimeField(
        label=_("From"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Until"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].choices = [(p.pk, p.name) for p in people]


class ChangeForm(forms.Form):
    shift = forms.ChoiceField(label=_("My shift"))
    colleague = forms.ChoiceField(label=_("Colleague"))
    their_shift = forms.ChoiceField(label=_("Their shift (for a swap)"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, mine=(), people=(), theirs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shift"].choices = [(s.pk, s.label) for s in mine]
        self.fields["colleague"].choices = [(p.pk, p.name) for p in people]
        self.fields["their_shift"].choices = [("", "—")] + [(s.pk, s.label) for s in theirs]
