"""The audit log viewer (SEC-6): filter, page through, see before/after, verify the hash chain."""

import json

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from kefu.core import audit, checkpoints
from kefu.core import queries as core_queries
from kefu.org import access
from kefu.web.forms import AuditFilterForm
from kefu.web.support import actor, denied, is_htmx, web_view

PAGE_SIZE = 50


def _show(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def diff(before, after) -> list[dict]:
    """Field by field: before → after, marking what changed."""
    before = before if isinstance(before, dict) else ({} if before is None else {"value": before})
    after = after if isinstance(after, dict) else ({} if after is None else {"value": after})
    rows = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        rows.append(
            {
                "field": key,
                "before": _show(old) if key in before else "",
                "after": _show(new) if key in after else "",
                "changed": key not in before or key not in after or old != new,
            }
        )
    return rows


def _context(request):
    form = AuditFilterForm(request.GET or None)
    events = core_queries.audit_events(actor(request), **form.filters())
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.diff = diff(event.before, event.after)
    query = request.GET.copy()
    query.pop("page", None)
    return {"form": form, "page": page, "query": query.urlencode()}


@web_view
def audit_log(request):
    me = actor(request)
    if not access.can(me, "audit.view"):
        return denied(request)
    context = _context(request)
    if is_htmx(request):
        response = render(request, "web/audit_results.html", context)
    else:
        context["actions"] = core_queries.audit_actions()
        context["object_types"] = core_queries.audit_object_types()
        response = render(request, "web/audit.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@web_view
@require_POST
def audit_verify(request):
    """Walk the whole chain (O(n)), on demand only, against this machine's signed checkpoints."""
    if not access.can(actor(request), "audit.view"):
        return denied(request)
    try:
        result = audit.verify(checkpoints.published())
    except checkpoints.CheckpointError as exc:
        result = audit.VerifyResult(False, 0, None, str(exc))
    if is_htmx(request):
        return render(request, "web/audit_verify.html", {"verify": result})
    context = _context(request)
    context["verify"] = result
    context["actions"] = core_queries.audit_actions()
    context["object_types"] = core_queries.audit_object_types()
    return render(request, "web/audit.html", context)
