"""Message templates (NTF-1): `notifications/<template>.<lang>.txt`, first line subject, rest body.

Templates are plain text rendered by Django's template engine with autoescaping off (the text is
never HTML; the inbox page escapes it when it shows it). Lines that are only a `{# … #}` comment —
the list of context keys a template expects — render empty and are dropped before the subject.
"""

from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import translation

from kefu.core.errors import DomainError
from kefu.engine.notifications.models import Language

SUBJECT_MAX = 300


def _template(template: str, language: str):
    return get_template(f"notifications/{template}.{language}.txt").template


def check(template: str) -> None:
    """Every template ships in every language; a missing one is the caller's bug, found at call time."""
    for language in Language.values:
        try:
            _template(template, language)
        except TemplateDoesNotExist as exc:
            raise DomainError(
                "notification_template_missing",
                f"消息模板 {template}（{language}）不存在",
                f"Notification template {template} ({language}) does not exist",
                status=500,
            ) from exc


def render(template: str, language: str, context: dict) -> tuple[str, str]:
    """(subject, body) in `language`; dates and numbers are formatted for that language."""
    with translation.override(language):
        text = _template(template, language).render(Context(context, autoescape=False))
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    subject = " ".join(lines[0].split())[:SUBJECT_MAX] if lines else template
    body = "\n".join(line.rstrip() for line in lines[1:]).strip("\n")
    return subject, body
