"""Read paths of notices (DOC-1): those addressed to a unit the person belongs to (or above it), and
those of units documents.view / documents.manage reach; one by id (404 outside)."""

from django.db.models import Q

from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.documents.models import Notice
from kefu.documents.queries.common import pk_of, reader_q
from kefu.org import access


def visible_q(actor: Actor) -> Q | None:
    condition = reader_q(actor, "unit__path")
    me = access.employee_of(actor.principal)
    if me is not None:
        ids = [p for p in me.unit.path.split("/") if p]
        mine = Q(to_units__path__in=["/" + "/".join(ids[: i + 1]) + "/" for i in range(len(ids))])
        condition = mine if condition is None else condition | mine
    return condition


def notices(actor: Actor):
    condition = visible_q(actor)
    if condition is None:
        return Notice.objects.none()
    return (
        Notice.objects.filter(pk__in=Notice.objects.filter(condition).values("pk"))
        .select_related("unit")
        .order_by("-published_at", "-pk")
    )


def notice(actor: Actor, pk) -> Notice:
    found = notices(actor).filter(pk=pk_of(pk)).first() if pk_of(pk) else None
    if found is None:
        raise NotFound("通知", "notice")
    return found
