"""Read paths of the workflow engine: what waits for me, a record's clocks and escalations."""

from django.db.models import Prefetch

from kefu.core.actor import Actor
from kefu.engine.workflow.history import target_of
from kefu.engine.workflow.models import ApprovalStep, Escalation, StepStatus, Timer


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


def clocks(obj):
    content_type, object_id = target_of(obj)
    return Timer.objects.filter(content_type=content_type, object_id=object_id).order_by("started_at")


def escalations(obj):
    content_type, object_id = target_of(obj)
    return Escalation.objects.filter(content_type=content_type, object_id=object_id).select_related("actor")
