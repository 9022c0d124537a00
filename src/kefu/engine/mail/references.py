"""Threading (CASE-2): which record an incoming message belongs to.

Two kinds of evidence, strongest first:
- In-Reply-To / References naming a Message-ID kefu sent (an OutboundMail with a related object) or
  received and handled (an InboundMail with a result object);
- a reference token such as `KF-20261130-0001`, bracketed (`[KF-20261130-0001]`) or not, in the
  subject, then in the body (quoted text included).

The engine does not know what a token means: the caller passes its prefix (or its own regex) and
looks the candidates up itself.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType

from kefu.engine.mail.models import InboundMail, OutboundMail

MESSAGE_ID = re.compile(r"<[^<>\s]+>")


@dataclass(frozen=True)
class Reference:
    source: str  # "in-reply-to" | "references" | "subject" | "body"
    token: str = ""  # the reference token found (subject/body)
    message_id: str = ""  # the Message-ID matched (headers)
    content_type: ContentType | None = None  # the object that Message-ID belongs to
    object_id: str = ""

    @property
    def object(self) -> Any:
        if self.content_type is None:
            return None
        model = self.content_type.model_class()
        return model._default_manager.filter(pk=self.object_id).first() if model else None


def reference_token(prefix: str, number: str) -> str:
    """`[KF-20261130-0001]` for a subject line; `number` may already carry the prefix."""
    number = str(number).strip()
    if not number.startswith(f"{prefix}-"):
        number = f"{prefix}-{number}"
    return f"[{number}]"


def token_pattern(prefix: str) -> re.Pattern:
    """`PREFIX-` followed by digits and dashes (not inside a longer word)."""
    return re.compile(rf"(?<![\w-]){re.escape(prefix)}-\d+(?:-\d+)*(?![\w-])")


def _header_ids(headers: dict) -> list[tuple[str, str]]:
    lower = {str(k).lower(): str(v or "") for k, v in (headers or {}).items()}
    found, seen = [], set()
    # In-Reply-To names the parent; References the thread, newest last
    for source, ids in (
        ("in-reply-to", MESSAGE_ID.findall(lower.get("in-reply-to", ""))),
        ("references", list(reversed(MESSAGE_ID.findall(lower.get("references", ""))))),
    ):
        for message_id in ids:
            if message_id not in seen:
                seen.add(message_id)
                found.append((source, message_id))
    return found


def _known_ids(message_ids: list[str]) -> dict[str, tuple[int, str]]:
    known: dict[str, tuple[int, str]] = {}
    sent = OutboundMail.objects.filter(message_id__in=message_ids, related_type__isnull=False)
    handled = InboundMail.objects.filter(message_id__in=message_ids, result_type__isnull=False)
    for rows in (
        sent.values_list("message_id", "related_type_id", "related_id"),
        handled.values_list("message_id", "result_type_id", "result_id"),
    ):
        for message_id, type_id, object_id in rows:
            known.setdefault(message_id, (type_id, object_id))
    return known


def find_reference(
    subject: str = "", body: str = "", headers: dict | None = None, *, prefix: str = "", pattern=None
) -> list[Reference]:
    """Every candidate reference of an incoming message, strongest first, without repeats.

    `headers` holds at least In-Reply-To and References (an InboundMail's fields will do:
    `{"In-Reply-To": m.in_reply_to, "References": m.references}`). Tokens are looked for with
    `pattern` (a regex, its whole match is the token) or else `token_pattern(prefix)`.
    """
    candidates: list[Reference] = []
    ids = _header_ids(headers or {})
    known = _known_ids([message_id for _, message_id in ids]) if ids else {}
    for source, message_id in ids:
        if message_id in known:
            type_id, object_id = known[message_id]
            candidates.append(
                Reference(
                    source=source,
                    message_id=message_id,
                    content_type=ContentType.objects.get_for_id(type_id),
                    object_id=object_id,
                )
            )
    regex = re.compile(pattern) if isinstance(pattern, str) else pattern
    if regex is None and prefix:
        regex = token_pattern(prefix)
    if regex is not None:
        seen = set()
        for source, text in (("subject", subject or ""), ("body", body or "")):
            for match in regex.finditer(text):
                token = match.group(0).strip("[]")
                if token not in seen:
                    seen.add(token)
                    candidates.append(Reference(source=source, token=token))
    return candidates
