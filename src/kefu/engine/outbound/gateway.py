"""The HTTP SMS gateway adapter (FUP-2 outbound): one signed POST per text message.

Request: POST KEFU_SMS_URL, JSON {"id": <message key>, "to": <number>, "text": <text>}, headers
`X-Kefu-Signature: sha256=<hex HMAC-SHA256 of the raw body with KEFU_SMS_SECRET>` and
`Idempotency-Key: <message key>` (a retry after a lost answer carries the same key, so the gateway
sends it once). The gateway signs its callbacks (receipts, replies) the same way.

Outcomes: 2xx → accepted (the answer's JSON "id", if any, is the gateway's id); 4xx → Rejected (the
request itself is wrong: no retry); 5xx, a timeout or a refused connection → Unavailable (retried).
"""

import hashlib
import hmac
import json
import urllib.error
import urllib.request

from django.conf import settings

from kefu.core.crypto import redact

SIGNATURE_HEADER = "X-Kefu-Signature"


class Unavailable(Exception):
    """The gateway could not take the message now (5xx, timeout, no connection): try again later."""


class Rejected(Exception):
    """The gateway refused the message (4xx, or not configured): trying again would not help."""


def configured() -> bool:
    """Whether this installation has a text gateway: its address and the secret that signs requests."""
    return bool(settings.KEFU_SMS_URL and settings.KEFU_SMS_SECRET)


def sign(body: bytes) -> str:
    secret = (settings.KEFU_SMS_SECRET or "").encode()
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def signed(body: bytes, signature: str) -> bool:
    """Whether a callback's signature header matches its raw body (constant-time compare)."""
    return bool(settings.KEFU_SMS_SECRET) and hmac.compare_digest(sign(body), signature or "")


def post(key: str, number: str, text: str) -> str:
    """Send one text message; returns the gateway's id ("" when it gives none)."""
    if not configured():
        raise Rejected("KEFU_SMS_URL or KEFU_SMS_SECRET is not set")
    if not settings.KEFU_SMS_URL.startswith(("http://", "https://")):
        raise Rejected("KEFU_SMS_URL must be an http:// or https:// address")
    body = json.dumps({"id": key, "to": number, "text": text}, ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310 — the scheme is checked above
        settings.KEFU_SMS_URL,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            SIGNATURE_HEADER: sign(body),
            "Idempotency-Key": key,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.KEFU_SMS_TIMEOUT) as response:  # noqa: S310
            answer = response.read(10_000)
    except urllib.error.HTTPError as exc:
        detail = redact(exc.read(500).decode("utf-8", "replace"))
        if 400 <= exc.code < 500:
            raise Rejected(f"HTTP {exc.code} {detail}") from None
        raise Unavailable(f"HTTP {exc.code} {detail}") from None
    except OSError as exc:  # a timeout, a refused or reset connection, a name not found
        raise Unavailable(redact(str(exc)) or type(exc).__name__) from None
    try:
        return str(json.loads(answer or b"{}").get("id") or "")[:100]
    except (ValueError, AttributeError):
        return ""
