"""CUS-1 contacts on a customer's page: the form that adds one and its post."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kefu.customers.actions import contacts as actions
from kefu.customers.views.blocks import post_action
from kefu.web.support import web_view


class ContactForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    position = forms.CharField(label=gettext_lazy("Position"), required=False, max_length=100)
    phone = forms.CharField(label=gettext_lazy("Phone"), required=False, max_length=40)
    email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    is_key_person = forms.BooleanField(label=gettext_lazy("Key person"), required=False, initial=True)


@web_view
@require_POST
def contact_add(request, pk: int):
    form = ContactForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give the contact's name."))
        return redirect("customers:detail", pk)
    return post_action(
        request, pk, lambda me, c: actions.add_contact(me, c, **form.cleaned_data), _("Contact added.")
    )
