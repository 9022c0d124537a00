"""Forms of the knowledge pages: parse and validate input; the rules live in actions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.knowledge.models import Article, ArticleState

BLANK = [("", "—")]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=200, help_text=_("Title, keywords or text")
    )
    category = forms.ChoiceField(label=_("Category"), required=False, choices=BLANK)
    state = forms.ChoiceField(label=_("State"), required=False, choices=BLANK + ArticleState.choices)

    def __init__(self, *args, categories=(), editor=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = BLANK + [(c.code, c.name) for c in categories]
        if not editor:
            del self.fields["state"]

    def filters(self) -> dict:
        if not self.is_valid():
            return {"q": "", "category": "", "state": ""}
        data = self.cleaned_data
        return {"q": data["q"].strip(), "category": data["category"], "state": data.get("state", "")}


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=Article._meta.get_field("title").max_length)
    category = forms.ChoiceField(label=_("Category"))
    keywords = forms.CharField(
        label=_("Keywords"),
        required=False,
        max_length=Article._meta.get_field("keywords").max_length,
        help_text=_("Separated by spaces or commas"),
    )
    body = forms.CharField(
        label=_("Body"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Plain text; a blank line starts a new paragraph"),
    )

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = BLANK + [(c.code, c.name) for c in categories]

    def values(self) -> dict:
        data = self.cleaned_data
        return {k: data[k] for k in ("title", "category", "keywords", "body")}
