from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.engine.calendars.models import Calendar, OverrideKind

MAX_UPLOAD = 256 * 1024


class HolidayImportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1901, max_value=2099)
    note = forms.CharField(
        label=_("Source document"),
        required=False,
        max_length=200,
        help_text=_("For example the State Council General Office notice and its number."),
    )
    text = forms.CharField(
        label=_("Schedule (one day per line)"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 10, "placeholder": _("2027-02-05,holiday,春节\n2027-02-20,makeup_workday,春节")}
        ),
        help_text=_(
            "date,kind,name — kind is holiday (also 放假, 休) or makeup_workday (also 调休上班, 补班, 班)."
        ),
    )
    file = forms.FileField(label=_("Or a CSV file"), required=False)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is too large."))
        return upload

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("file"):
            raise forms.ValidationError(_("Paste the schedule or choose a CSV file."))
        return data


class CalendarField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name  # the name, not "name (code)": the code is for the API


class OverrideForm(forms.Form):
    calendar = CalendarField(label=_("Calendar"), queryset=Calendar.objects.order_by("code"))
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=OverrideKind.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)
