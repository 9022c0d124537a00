"""The customer's 退订 link and the SMS gateway's signed callbacks (delivery receipts, replies).

The callbacks are machine to machine: no session, no CSRF token; the HMAC signature of the raw body
with KEFU_SMS_SECRET (header X-Kefu-Signature, as on our requests) is the authentication. A bad
signature answers 403, bad JSON 400, an unknown message 404 — each as the API's error envelope.
"""

import json

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from kefu.core.actor import Actor, request_origin
from kefu.core.errors import DomainError, Invalid, PermissionDenied
from kefu.engine.outbound import actions, gateway


def _error(error: DomainError) -> JsonResponse:
    return JsonResponse(error.as_envelope(), status=error.status)


def _signed_json(request) -> dict:
    if not gateway.signed(request.body, request.headers.get(gateway.SIGNATURE_HEADER, "")):
        raise PermissionDenied("签名无效", "Bad signature", code="bad_signature")
    try:
        data = json.loads(request.body or b"")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise Invalid("bad_json", "请求内容不是有效的 JSON 对象", "The body is not a JSON object")
    return data


@csrf_exempt
@require_POST
def receipt(request):
    try:
        data = _signed_json(request)
        changed = actions.receipt_received(str(data.get("id") or ""), str(data.get("status") or ""))
    except DomainError as error:
        return _error(error)
    return JsonResponse({"changed": changed})


@csrf_exempt
@require_POST
def reply(request):
    try:
        data = _signed_json(request)
        opted_out = actions.reply_received(str(data.get("from") or ""), str(data.get("text") or ""))
    except DomainError as error:
        return _error(error)
    return JsonResponse({"opted_out": opted_out})


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET asks (a mail scanner following links must not opt anyone out); POST records the 退订."""
    customer = actions.customer_of_token(token)
    if customer is None:
        raise Http404
    done = False
    if request.method == "POST":
        actions.opt_out(Actor(user=None, origin=request_origin(request, "link")), customer, source="link")
        done = True
    return render(request, "outbound/unsubscribe.html", {"done": done})
