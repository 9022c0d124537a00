"""`{% notification_preferences %}`: the notification settings card of the profile page."""

from django import template

from kefu.engine.notifications import queries
from kefu.engine.notifications.forms import PreferenceForm

register = template.Library()


@register.inclusion_tag("notifications/_preferences_card.html", takes_context=True)
def notification_preferences(context):
    request = context["request"]
    preference = queries.preference_of(request.user)
    employee = getattr(request.user, "employee", None)
    form = PreferenceForm(
        initial={"language": preference.language, "email_enabled": preference.email_enabled}
    )
    return {
        "form": form,
        "email": (getattr(employee, "email", "") or request.user.email or ""),
        "csrf_token": context.get("csrf_token"),
    }
