"""Security middleware: content security policy and the session idle timeout (SEC-10)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

from kefu.core import clock

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'"
)


class SecureHeadersMiddleware:
    """Every page may load only what the server itself serves: no CDN, no inline script."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.setdefault("Cache-Control", "no-store")
        return response


IDLE_KEY = "kefu_last_seen"


class IdleTimeoutMiddleware:
    """Log a session out after KEFU_SESSION_IDLE_MINUTES without a request (SEC-10).

    Measured with kefu's clock so that tests move time instead of waiting. API calls with a bearer
    token carry no session and are not affected.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = clock.now()
            last = request.session.get(IDLE_KEY)
            idle = timedelta(minutes=settings.KEFU_SESSION_IDLE_MINUTES)
            if last and now - datetime.fromisoformat(last) > idle:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                messages.warning(request, _("You were signed out after a period of inactivity."))
                return redirect_to_login(request.get_full_path())
            request.session[IDLE_KEY] = now.isoformat()
        return self.get_response(request)
