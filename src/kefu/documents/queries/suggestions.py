"""Read paths of suggestions (DOC-1): one's own, and those of units documents.view / documents.manage
reach; one by id (404 outside)."""

from django.db.models import Q

from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.documents.models import Suggestion
from kefu.documents.queries.common import MANAGE, pk_of, reader_q
from kefu.org import access


def visible_q(actor: Actor) -> Q | None:
    condition = reader_q(actor, "unit__path")
    me = access.employee_of(actor.principal)
    if me is not None:
        mine = Q(author_id=me.pk)
        condition = mine if condition is None else condition | mine
    return condition


def suggestions(actor: Actor):
    condition = visible_q(actor)
    if condition is None:
        return Suggestion.objects.none()
    return (
        Suggestion.objects.filter(condition).select_related("unit", "author").order_by("-submitted_at", "-pk")
    )


def suggestion(actor: Actor, pk) -> Suggestion:
    found = suggestions(actor).filter(pk=pk_of(pk)).first() if pk_of(pk) else None
    if found is None:
        raise NotFound("合理化建议", "suggestion")
    return found


def may_review(actor: Actor, suggestion: Suggestion) -> bool:
    return access.may_write(actor, MANAGE, unit=suggestion.unit, owner_id=None)
