"""Read paths of revisit plans (FUP-1): the plans of the subsidiaries the caller may see."""

from kefu.cases.models import CaseKind
from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.followups.models import RevisitPlan
from kefu.org import access
from kefu.org.models import Unit

VIEW = "revisit.view"


def plans(actor: Actor):
    return (
        access.scoped(RevisitPlan.objects.all(), actor, VIEW)
        .select_related("unit")
        .order_by("unit__path", "pk")
    )


def unit(actor: Actor, pk: int) -> Unit:
    found = Unit.objects.filter(pk=pk).first() if 0 < pk < 2**63 else None
    if found is None or not access.unit_in_scope(actor, VIEW, found):
        raise NotFound("组织单元", "unit")
    return found


def kind_choices() -> list[tuple[str, str]]:
    """The case kinds a resolution plan may name (code, name), the shipped ones first."""
    seen: dict[str, str] = {}
    for code, name in CaseKind.objects.order_by("unit_id", "pk").values_list("code", "name"):
        seen.setdefault(code, name)
    return list(seen.items())


def subsidiaries(actor: Actor, code: str = VIEW):
    """The subsidiaries whose plans the caller may read (or, with `code`, change)."""
    found = Unit.objects.filter(kind="subsidiary").order_by("path")
    return found.filter(pk__in=[u.pk for u in found if access.unit_in_scope(actor, code, u)])
