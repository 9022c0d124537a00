"""Sign-in, sign-out and the lockout page (SEC-10)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponse
from django.shortcuts import render

from kefu.core.middleware import IDLE_SIGNED_OUT_KEY


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # set by the idle-timeout middleware (SEC-10)
        context["signed_out_idle"] = self.request.session.pop(IDLE_SIGNED_OUT_KEY, False)
        return context


class LogoutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET): a link cannot sign anyone out."""


def _lockout_minutes() -> int:
    cooloff = settings.AXES_COOLOFF_TIME
    if hasattr(cooloff, "total_seconds"):
        return max(1, int(cooloff.total_seconds() // 60))
    return int(cooloff * 60)  # axes also accepts a number of hours


def locked_out(request, credentials=None, *args, **kwargs):
    """Called by django-axes once an account has failed too often (SEC-10): the login page, 429.

    Axes calls this as (request, original_response, credentials) or (request, credentials).
    """
    if isinstance(credentials, HttpResponse):
        credentials = args[0] if args else kwargs.get("credentials")
    username = (credentials or {}).get("username", "") if isinstance(credentials, dict) else ""
    form = AuthenticationForm(request, initial={"username": username})
    context = {"form": form, "locked_minutes": _lockout_minutes(), "locked_username": username}
    return render(request, "web/login.html", context, status=429)
