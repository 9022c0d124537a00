"""Read paths of the shared kernel: the audit log as the caller may see it, the caller's API tokens,
whether an account is locked out."""

from datetime import datetime, time, timedelta

from axes.handlers.proxy import AxesProxyHandler
from django.db.models import Q

from kefu.core import clock, provided
from kefu.core.actor import Actor
from kefu.core.errors import PermissionDenied
from kefu.core.models import ApiToken, AuditEvent
from kefu.core.scopes import apply_scope


def audit_events(
    actor: Actor,
    *,
    actor_name: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    date_from=None,
    date_to=None,
):
    """Audit rows visible to the caller (SEC-6), newest first, narrowed by the filters — sealed or not yet.

    Whoever holds `audit.view` for the whole group sees every row; a narrower scope sees the rows
    written by people whose unit lies within it (own scope: one's own rows). One query.
    Dates are calendar days in the site's time zone (Asia/Shanghai), both ends inclusive.
    """
    grants = provided.grants(actor, "audit.view")
    if not grants:
        raise PermissionDenied()
    qs = AuditEvent.objects.select_related("actor")
    if not any(g.scope == "group" for g in grants):
        qs = apply_scope(qs, grants, unit_path="actor__employee__unit__path", owner="actor__employee__id")
    if actor_name:
        name = actor_name.strip()
        qs = qs.filter(Q(actor_name__iexact=name) | Q(on_behalf_of__iexact=name))
    if action:
        qs = qs.filter(action__startswith=action.strip())
    if object_type:
        qs = qs.filter(object_type=object_type.strip())
    if object_id:
        qs = qs.filter(object_id=str(object_id).strip())
    zone = clock.zone()
    if date_from:
        qs = qs.filter(at__gte=datetime.combine(date_from, time.min, tzinfo=zone))
    if date_to:
        qs = qs.filter(at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone))
    return qs.order_by("-id")  # newest first, unsealed rows included (SEC-6: sealed within seconds)


def audit_actions():
    """Distinct action names, for the filter's suggestions."""
    return AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct()


def audit_object_types():
    return AuditEvent.objects.order_by("object_type").values_list("object_type", flat=True).distinct()


def tokens_of(user):
    """The caller's own API tokens (tokens are personal, ORG-6)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def locked_out(request, user) -> bool:
    """Is `user` locked out (SEC-10) for this request — too many failed sign-ins from its address?

    The same lock django-axes applies to the password (per username + address) applies to the
    account's API tokens until it lifts (cool-off) or an administrator resets it. One indexed query.
    """
    return AxesProxyHandler.is_locked(request, credentials={"username": user.get_username()})
