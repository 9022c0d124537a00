"""Notices (公告/通知, DOC-1): the only code that writes them. documents.manage over the issuing unit
publishes a notice to units within it; the staff of those units and below get it in their inbox."""

from django.db import transaction
from django.urls import reverse

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid
from kefu.documents.actions.common import require_manage, text
from kefu.documents.models import Notice, NoticeKind
from kefu.documents.queries import common
from kefu.engine.notifications.api import notify
from kefu.org.models import Employee, Unit


def publish(actor: Actor, *, unit: Unit, kind: str, title: str, body: str, to_units) -> Notice:
    """DOC-1: a notice of `unit` to `to_units` (each within the issuing unit; none given: the unit itself)."""
    require_manage(actor, unit)
    if kind not in NoticeKind.values:
        raise Invalid("documents_notice_kind", "请选择公告或通知", "Choose the kind", {"kind": "invalid"})
    title = text(title, "title", "标题", limit=200)
    body = text(body, "body", "正文", limit=20000)
    targets = list({u.pk: u for u in (to_units or [unit])}.values())
    if any(not t.path.startswith(unit.path) for t in targets):
        raise Invalid(
            "documents_notice_units",
            "通知只能发给发文单位及其下属单位",
            "A notice goes to the issuing unit and units within it",
            {"to_units": "outside"},
        )
    with transaction.atomic():
        notice = Notice.objects.create(
            unit=unit, kind=kind, title=title, body=body, published_at=clock.now(), created_by=actor.user
        )
        notice.to_units.set(targets)
        staff = common.staff_of(targets)
        users = [
            e.user for e in Employee.objects.filter(pk__in=staff, user__is_active=True).select_related("user")
        ]
        notify(
            users,
            "documents.notice_published",
            {"kind": NoticeKind(kind).label, "title": title, "unit": unit.name},
            obj=notice,
            link=reverse("documents:notice", args=[notice.pk]),
            channels=("inbox",),
        )
        audit.record(
            actor,
            "documents.notice.publish",
            notice,
            after={
                "unit": unit.pk,
                "kind": kind,
                "title": title,
                "to_units": [t.pk for t in targets],
                "sent": len(staff),
            },
        )
    return notice
