"""`{% notification_preferences %}`: the notification settings card of the profile page.
`{% live_poll %}`: the top bar's live poll (issue 13); `{% live_version "cases.queue" %}`: a watched
list's version as the page renders it (`live.py`)."""

from django import template

from kefu.engine.notifications import live, queries
from kefu.engine.notifications.forms import PreferenceForm

register = template.Library()


@register.inclusion_tag("notifications/_preferences_card.html", takes_context=True)
def notification_preferences(context):
    request = context["request"]
    preference = queries.preference_of(request.user)
    employee = getattr(request.user, "employee", None)
    form = PreferenceForm(
        initial={
            "language": preference.language,
            "email_enabled": preference.email_enabled,
            "sms_enabled": preference.sms_enabled,
        }
    )
    return {
        "form": form,
        "sms": "sms_enabled" in form.fields,
        "has_phone": bool(getattr(employee, "phone_index", "")),
        "email": (getattr(employee, "email", "") or request.user.email or ""),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("notifications/_live_poll.html")
def live_poll():
    return {"every": live.poll_seconds()}


@register.simple_tag(takes_context=True)
def live_version(context, name: str) -> str:
    """The list's version for the person viewing it; the poll compares against it."""
    return live.version(context["request"].user, name)
