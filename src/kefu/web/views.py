"""The foundation's own pages: sign-in, sign-out and the lockout page (SEC-10); the error pages (a JSON
envelope under /api/, a friendly page elsewhere)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from kefu.core.http_support import envelope
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


# ── error pages

_TEXT = {
    400: ("bad_request", "请求无效", "Bad request"),
    403: ("forbidden", "您没有访问此页面的权限", "You are not allowed to see this page"),
    404: ("not_found", "页面不存在或无权查看", "Page not found"),
    500: ("internal_error", "服务器内部错误，已记录，请稍后再试", "Internal error; it has been logged"),
}


def _respond(request, status: int):
    code, zh, en = _TEXT[status]
    if request.path.startswith("/api/"):
        return JsonResponse(envelope(code, zh, en), status=status, json_dumps_params={"ensure_ascii": False})
    return render(
        request, "web/error.html", {"status": status, "message_zh": zh, "message_en": en}, status=status
    )


def bad_request(request, exception=None):
    return _respond(request, 400)


def forbidden(request, exception=None):
    return _respond(request, 403)


def not_found(request, exception=None):
    return _respond(request, 404)


def server_error(request):
    return _respond(request, 500)
