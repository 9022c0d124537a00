"""Building blocks of the case queries: the bounds of an id and the scoped lookup by id."""

from django.db.models import Q

from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.core.scopes import scope_q
from kefu.org import access

ID_LIMIT = 2**63 - 1


def team_q(actor: Actor, code: str, unit_path: str) -> Q | None:
    """Units covered by the actor's non-personal grants for `code` (a team, not one's own cases)."""
    return scope_q(
        [g for g in access.grants(actor, code) if g.scope != "own"], unit_path=unit_path, owner=None
    )


def by_pk(qs, pk, what: tuple[str, str]):
    """The row `pk` of a scoped queryset; NotFound (404) for a bad id or one outside the scope."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = 0
    found = qs.filter(pk=pk).first() if 0 < pk < ID_LIMIT else None
    if found is None:
        raise NotFound(*what)
    return found
