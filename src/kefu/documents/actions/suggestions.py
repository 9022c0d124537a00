"""Improvement suggestions (合理化建议, DOC-1): the only code that writes them. Any staff member makes one
(filed under their own unit); documents.manage over that unit accepts it or declines it with a reason —
once: two reviewers at the same moment, one wins — and an accepted one is closed as implemented with what
was done. The author is told of each outcome."""

from django.db import transaction
from django.urls import reverse

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, PermissionDenied
from kefu.documents.actions.common import require_manage, text
from kefu.documents.models import Suggestion, SuggestionStatus
from kefu.engine.notifications.api import notify
from kefu.org import access


def submit(actor: Actor, *, title: str, body: str) -> Suggestion:
    """DOC-1: any staff member's suggestion."""
    me = access.employee_of(actor.principal)
    if me is None:
        raise PermissionDenied(
            "只有在职员工可以提出合理化建议",
            "Only an employee may make a suggestion",
            code="documents_not_staff",
        )
    title = text(title, "title", "建议标题", limit=200)
    body = text(body, "body", "建议内容", limit=4000)
    with transaction.atomic():
        made = Suggestion.objects.create(
            unit=me.unit, author=me, title=title, body=body, submitted_at=clock.now()
        )
        audit.record(actor, "documents.suggestion.submit", made, after={"unit": me.unit_id, "title": title})
    return made


def _tell(suggestion: Suggestion) -> None:
    if suggestion.author.user_id:
        notify(
            [suggestion.author.user],
            "documents.suggestion_reviewed",
            {
                "title": suggestion.title,
                "status": suggestion.get_status_display(),
                "reason": suggestion.reason,
            },
            obj=suggestion,
            link=reverse("documents:suggestion", args=[suggestion.pk]),
            channels=("inbox",),
        )


def _moved(pk: int, source: str, **changes) -> Suggestion:
    if not Suggestion.objects.filter(pk=pk, status=source).update(**changes):
        raise Conflict(
            "documents_suggestion_state",
            "该建议已被处理，请刷新后查看",
            "The suggestion was already handled",
        )
    return Suggestion.objects.select_related("author__user", "unit").get(pk=pk)


def review(actor: Actor, suggestion: Suggestion, *, accept: bool, reason: str = "") -> Suggestion:
    """DOC-1: accepted, or declined with a reason (a reason is required to decline)."""
    require_manage(actor, suggestion.unit)
    reason = text(reason, "reason", "不予采纳的理由", required=not accept, limit=1000)
    status = SuggestionStatus.ACCEPTED if accept else SuggestionStatus.DECLINED
    with transaction.atomic():
        done = _moved(
            suggestion.pk,
            SuggestionStatus.SUBMITTED,
            status=status,
            reason=reason,
            reviewed_at=clock.now(),
            reviewed_by=actor.user,
        )
        audit.record(actor, "documents.suggestion.review", done, after={"status": status, "reason": reason})
        _tell(done)
    return done


def implement(actor: Actor, suggestion: Suggestion, *, implementation: str) -> Suggestion:
    """DOC-1: an accepted suggestion is closed as implemented, with what was done."""
    require_manage(actor, suggestion.unit)
    implementation = text(implementation, "implementation", "实施情况", limit=1000)
    with transaction.atomic():
        done = _moved(
            suggestion.pk,
            SuggestionStatus.ACCEPTED,
            status=SuggestionStatus.IMPLEMENTED,
            implementation=implementation,
            implemented_at=clock.now(),
        )
        audit.record(actor, "documents.suggestion.implement", done, after={"status": done.status})
        _tell(done)
    return done
