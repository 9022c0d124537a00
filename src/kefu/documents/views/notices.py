"""通知公告 pages (DOC-1): the notices to my units and to those I oversee, the publish form for a
manager, and one notice."""

from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.core.errors import DomainError
from kefu.documents.actions import notices as actions
from kefu.documents.models import NoticeKind
from kefu.documents.queries import common
from kefu.documents.queries import notices as queries
from kefu.documents.views.policies import CHECK, paragraphs
from kefu.org import access
from kefu.org.models import Unit
from kefu.web.support import actor, apply_error, attempt, web_view


class NoticeForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Issuing unit"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=NoticeKind.choices, initial=NoticeKind.NOTICE
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    body = forms.CharField(
        label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000
    )
    to_units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("To units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: the issuing unit and everyone in it."),
    )

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = common.manage_units(actor)
        self.fields["unit"].queryset = units
        self.fields["to_units"].queryset = units


@web_view
def notices(request):
    me = actor(request)
    form = NoticeForm(request.POST or None, actor=me) if access.write_grants(me, common.MANAGE) else None
    context = {"rows": list(queries.notices(me)[:200]), "form": form}
    if request.method != "POST" or form is None:
        return render(request, "documents/notices.html", context)
    if not form.is_valid():
        form.add_error(None, CHECK)
        return render(request, "documents/notices.html", context, status=400)
    data = form.cleaned_data

    def page(error: DomainError):
        apply_error(form, error)
        return "documents/notices.html", context

    return attempt(
        request,
        lambda: actions.publish(
            me,
            unit=data["unit"],
            kind=data["kind"],
            title=data["title"],
            body=data["body"],
            to_units=list(data["to_units"]),
        ),
        success=_("The notice was published."),
        then=lambda n: reverse("documents:notice", args=[n.pk]),
        page=page,
    )


@web_view
def notice(request, pk: int):
    found = queries.notice(actor(request), pk)
    context = {"notice": found, "paragraphs": paragraphs(found.body), "to_units": list(found.to_units.all())}
    return render(request, "documents/notice.html", context)
