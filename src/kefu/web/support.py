"""What every web view shares: the Actor of the request, domain errors → pages and form errors."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from kefu.core import provided
from kefu.core.actor import Actor, request_origin
from kefu.core.errors import DomainError
from kefu.core.http_support import INT_MAX

DELEGATION_KEY = "kefu_delegation"


def actor(request) -> Actor:
    """The Actor of this request, acting for a delegator when the session says so (ORG-5).

    Built once per request (a request under a delegation leaves one audit row naming it, ORG-5). A
    delegation that is no longer in force is dropped from the session and the person acts as themselves
    again.
    """
    cached = getattr(request, "_kefu_actor", None)
    if cached is not None:
        return cached
    delegation_id = request.session.get(DELEGATION_KEY)
    origin = request_origin(request, "web")
    try:
        result = provided.request_actor(
            request.user,
            origin=origin,
            delegation_id=delegation_id,
            request_line=f"{request.method} {request.path}",
        )
    except DomainError:
        request.session.pop(DELEGATION_KEY, None)
        messages.warning(request, _("The delegation you were acting under is no longer in force."))
        result = Actor(user=request.user, origin=origin)  # the person as themselves
    request._kefu_actor = result
    return result


def record_id(value) -> int | None:
    """The record id a query or form parameter names, or None when it cannot be one: not a decimal,
    or beyond what a database key holds (`?parent=abc` or `?parent=99999999999999999999` must not
    reach SQL, where they would be a ValueError or an overflow — a 500)."""
    value = str(value or "").strip()
    if not value.isdecimal() or not value.isascii() or len(value) > 19:
        return None
    number = int(value)
    return number if 0 < number <= INT_MAX else None


def denied(request, error: DomainError | None = None):
    """The 403 page, with the domain's own explanation when there is one."""
    context = {"status": 403, "message": error.message if error else _("You are not allowed to do this.")}
    return render(request, "web/error.html", context, status=403)


def web_view(view):
    """Login required; NotFound → 404, PermissionDenied → 403 page; other domain errors → 400 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DomainError as error:
            if error.status == 404:
                raise Http404(error.message) from error
            if error.status == 403:
                return denied(request, error)
            context = {"status": 400, "message": error.message}
            return render(request, "web/error.html", context, status=400)

    return login_required(wrapper)


def apply_error(form, error: DomainError) -> None:
    """Show a domain error on the form: the message on top, and on each field it names."""
    form.add_error(None, error.message)
    for name, detail in (error.fields or {}).items():
        if name not in form.fields:
            continue
        if error.code == "password_weak" and isinstance(detail, list):
            for item in detail:
                form.add_error(name, str(item))  # the password validators' own messages
        else:
            form.add_error(name, _("Please check this field."))


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def render_list(request, page: str, rows: str, context: dict):
    """A list page, or only its `rows` template when HTMX asks for the live-filtered results; the
    answer varies on HX-Request so that no cache serves one for the other."""
    response = render(request, rows if is_htmx(request) else page, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


class CappedPaginator(Paginator):
    """A list's pages whose total is counted up to `cap` rows (issue 13): counting every match of a
    broad filter over a large archive costs more than the page itself. Past the cap, `capped` is true
    and the page says "more than `cap`"; narrower filters count exactly."""

    cap = 10_000

    @cached_property
    def count(self) -> int:
        found = self.object_list.order_by()[: self.cap + 1].count()
        self.capped = found > self.cap
        return min(found, self.cap)

    capped = False


def remaining_text(left) -> str:
    """Server-rendered countdown: "6 天 23 小时 59 分", "21 小时 15 分", "不到 1 分" — no leading zero
    units (issue 13: "已超时 0 天 0 小时 0 分" read oddly); the static scripts keep it ticking alike."""
    if left is None:
        return ""
    minutes = int(left.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    parts = {"d": days, "h": rest // 60, "m": rest % 60}
    if days:
        return _("%(d)s d %(h)s h %(m)s min") % parts
    if parts["h"]:
        return _("%(h)s h %(m)s min") % parts
    if minutes:
        return _("%(m)s min") % parts
    return _("under 1 min")


def attempt(request, run, *, success: str, then, page):
    """Carry out a form's action: on success a message and a redirect to `then` (a path, or a
    function of the action's result giving one); a 403/404 goes to `web_view`'s pages; any other
    domain error re-renders `page(error)` — (template, context) with the input kept — answering the
    error's own status (400, 409)."""
    try:
        result = run()
    except DomainError as error:
        if error.status in (403, 404):
            raise
        template, context = page(error)
        return render(request, template, context, status=error.status)
    messages.success(request, success)
    return redirect(then(result) if callable(then) else then)
