"""Security middleware: content security policy and the session idle timeout (SEC-10)."""

from datetime import datetime, timedelta
from functools import wraps

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import resolve_url

from kefu.core import clock

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'"
)


class SecureHeadersMiddleware:
    """Every page may load only what the server itself serves: no CDN, no inline script.

    Placed before WhiteNoise, so static files (an SVG or HTML among them) carry the same policy.
    """

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
STAMP_EVERY = timedelta(seconds=30)
IDLE_SIGNED_OUT_KEY = "kefu_idle_signed_out"
BACKGROUND = "kefu_background"


def background(view):
    """A request a page makes by itself (the live poll, issue 13) is not the person's activity: it
    does not stamp the idle clock, or an open tab would keep its session signed in forever (SEC-10)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        setattr(request, BACKGROUND, True)
        return view(request, *args, **kwargs)

    return wrapper


class IdleTimeoutMiddleware:
    """Log a session out after KEFU_SESSION_IDLE_MINUTES without a request (SEC-10).

    Measured with kefu's clock so that tests move time instead of waiting. API calls with a bearer
    token carry no session and are not affected.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def _signed_in(request) -> bool:
        """A session sign-in (a bearer token sets request.user too, but has no session to time out)."""
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        return user is not None and user.is_authenticated and session is not None and SESSION_KEY in session

    def __call__(self, request):
        if self._signed_in(request):
            last = request.session.get(IDLE_KEY)
            idle = timedelta(minutes=settings.KEFU_SESSION_IDLE_MINUTES)
            if last and clock.now() - datetime.fromisoformat(last) > idle:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                # MessageMiddleware runs after this one: leave a note in the fresh session instead,
                # which the login page shows.
                request.session[IDLE_SIGNED_OUT_KEY] = True
                login_url = resolve_url(settings.LOGIN_URL)
                if request.headers.get("HX-Request") == "true":
                    # an HTMX fragment request: make the browser load the login page as a whole
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = login_url
                    return response
                return redirect_to_login(request.get_full_path(), login_url)
        response = self.get_response(request)
        # Stamp after the view, so that the request that signs in starts the idle period too; a
        # background request (`background`) is no activity.
        if self._signed_in(request) and not getattr(request, BACKGROUND, False):
            now = clock.now()
            last = request.session.get(IDLE_KEY)
            # at most one session write per STAMP_EVERY, not one per request
            if (
                not last
                or now - datetime.fromisoformat(last) >= STAMP_EVERY
                or now < datetime.fromisoformat(last)
            ):
                # the stamp alone is a touch: it never fails the page (kefu.core.sessions, issue 11)
                request.session.touch_only = not request.session.modified
                request.session[IDLE_KEY] = now.isoformat()
        return response


class DefaultChineseLocaleMiddleware(LocaleMiddleware):
    """Pages are in zh-Hans unless the user picked another language (the language cookie).

    A browser's Accept-Language is ignored for pages — a service centre's staff get the Chinese
    product whatever their browser says — but honoured by the API, where clients ask deliberately.
    """

    def process_request(self, request):
        if not request.path.startswith("/api/") and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)


class RefuseNulQueryMiddleware:
    """A NUL character in a page's query string is refused with the 400 page (issue 10).

    PostgreSQL can neither store nor compare NUL, so a view that reads a query parameter by hand and
    filters with it would answer a 500 there. Form fields already refuse NUL (Django's CharField); the
    API refuses it itself with a 422 naming the parameter (kefu.core.http_support), so /api/ is left to it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/") and any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            raise SuspiciousOperation("NUL character in the query string")
        return self.get_response(request)
