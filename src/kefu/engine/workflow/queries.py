"""Read paths of the workflow engine: what waits for me, a record's clocks, escalations and approvals.

Domain apps reach these through `kefu.engine.workflow.api`. A "target" is one record or a list of
records of one model: the engine's rows point at them by (content_type, object_id).
"""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, OuterRef, Prefetch
from django.db.models.functions import Cast

from kefu.core.actor import Actor
from kefu.engine.workflow.history import target_of
from kefu.engine.workflow.models import (
    ApprovalRequest,
    ApprovalStatus,
    ApprovalStep,
    Escalation,
    StateChange,
    StepStatus,
    Timer,
    TimerState,
)


def _of(target) -> dict | None:
    """The filter that selects the engine rows of one record or of a list of records of one model
    (None for an empty list)."""
    if isinstance(target, models.Model):
        content_type, object_id = target_of(target)
        return {"content_type": content_type, "object_id": object_id}
    target = list(target)
    if not target:
        return None
    return {
        "content_type": ContentType.objects.get_for_model(target[0]),
        "object_id__in": [str(o.pk) for o in target],
    }


def pending_steps(actor: Actor):
    """Approval steps waiting for the actor's principal (the delegator when acting for someone)."""
    principal = actor.principal
    if principal is None:
        return ApprovalStep.objects.none()
    return (
        ApprovalStep.objects.filter(status=StepStatus.PENDING, approvers=principal)
        .select_related("request__requester", "request__content_type")
        .prefetch_related(Prefetch("request__steps", queryset=ApprovalStep.objects.order_by("index")))
        .order_by("request__created_at")
    )


def decided_steps(obj):
    """The decided steps of the record's approval requests, oldest first: who decided, for whom (ORG-5)."""
    content_type, object_id = target_of(obj)
    return ApprovalStep.objects.filter(
        request__content_type=content_type, request__object_id=object_id, decided_at__isnull=False
    ).order_by("decided_at", "pk")


def step_due(step: ApprovalStep):
    content_type, object_id = target_of(step)
    timer = Timer.objects.filter(content_type=content_type, object_id=object_id, state="running").first()
    return timer.due_at if timer else None


def clocks(target, *, states=None, names=None):
    """The timers of the target (a record or a list of one model's records), oldest first;
    only those in `states` / with one of `names` when given."""
    where = _of(target)
    if where is None:
        return Timer.objects.none()
    if states is not None:
        where["state__in"] = tuple(states)
    if names is not None:
        where["name__in"] = tuple(names)
    return Timer.objects.filter(**where).order_by("started_at", "pk")


def outer_clocks(model, *, states=None):
    """The timers of the outer query's row of `model` (for `Exists(...)`/`Subquery(...)`)."""
    rows = Timer.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=Cast(OuterRef("pk"), CharField())
    )
    return rows.filter(state__in=tuple(states)) if states is not None else rows


def next_due(obj, *, states=(TimerState.RUNNING, TimerState.BREACHED)) -> datetime | None:
    """The earliest deadline of the record's clocks in `states` (running or missed by default)."""
    return clocks(obj, states=states).order_by("due_at").values_list("due_at", flat=True).first()


def escalations(target):
    """The escalations of the target (a record or a list of one model's records)."""
    where = _of(target)
    if where is None:
        return Escalation.objects.none()
    return Escalation.objects.filter(**where).select_related("actor")


def approvals(target):
    """The approval requests of the target (a record or a list of one model's records), oldest first."""
    where = _of(target)
    if where is None:
        return ApprovalRequest.objects.none()
    return ApprovalRequest.objects.filter(**where).order_by("created_at", "pk")


def steps_in_order(*related: str) -> Prefetch:
    """Prefetch of an approval request's steps in chain order, with `related` selected."""
    return Prefetch("steps", queryset=ApprovalStep.objects.order_by("index").select_related(*related))


def latest_approval(obj) -> ApprovalRequest | None:
    """The record's newest approval request, whatever its status (None when there was none)."""
    return approvals(obj).order_by("-created_at", "-pk").first()


def pending_approval(obj) -> ApprovalRequest | None:
    """The record's approval request still waiting for a decision (at most one: WF-4)."""
    return approvals(obj).filter(status=ApprovalStatus.PENDING).first()


def asked_of(user, model):
    """Ids (as stored: text) of the `model` records whose approval chain names `user` as an approver."""
    return ApprovalRequest.objects.filter(
        content_type=ContentType.objects.get_for_model(model), steps__approvers=user
    ).values_list("object_id", flat=True)


def changes_by(user, model, since: datetime, until: datetime):
    """The transitions `user` made on `model` records in [since, until), oldest first (RPT-1: the
    day's work of one person)."""
    return StateChange.objects.filter(
        content_type=ContentType.objects.get_for_model(model), actor=user, at__gte=since, at__lt=until
    ).order_by("at", "id")
