"""Form pieces every app's pages use: a date input, a date field within the years the code computes with."""

from datetime import date

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from kefu.core.http_support import PARAM_YEAR_MAX, PARAM_YEAR_MIN


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class BoundedDateField(forms.DateField):
    """A date the code computes with (the start of its day, the day after — list filters, a token's
    last day): years PARAM_YEAR_MIN–PARAM_YEAR_MAX, as for the API's date parameters. 0001-01-01 or
    9999-12-31 would overflow; they are refused with Django's own (translated) range message instead."""

    default_validators = [
        MinValueValidator(date(PARAM_YEAR_MIN, 1, 1)),
        MaxValueValidator(date(PARAM_YEAR_MAX, 12, 31)),
    ]
