"""ROUTE-1: the open-case count of each member (`MemberLoad`), kept by the case actions (issue 11).

Routing gives a case to the available member with the fewest open cases. Counting them at each intake
read every open case of every candidate — a cost that grew with the backlog; the count is kept
instead, changed by the actions that change a case's owner or take it in or out of the open states
(receipt and routing, assignment, transfer, answer / inform, reopen). Each change is one
`UPDATE … SET open_cases = open_cases ± 1` on that member's own row, so concurrent intakes wait for
each other only when they give a case to the same person, and two rows are always changed in id order
(no deadlock between transfers in opposite directions). `recount()` rebuilds the counts from the cases
(bulk loaders, a check); tests compare the two after a sequence of actions.
"""

from django.db import IntegrityError, transaction
from django.db.models import Count, F

from kefu.cases.models import OPEN_STATES, Case, MemberLoad


def _add(employee_id: int, delta: int) -> None:
    if MemberLoad.objects.filter(employee_id=employee_id).update(open_cases=F("open_cases") + delta):
        return
    try:
        with transaction.atomic():
            MemberLoad.objects.create(employee_id=employee_id, open_cases=delta)
    except IntegrityError:  # another transaction created the row meanwhile
        MemberLoad.objects.filter(employee_id=employee_id).update(open_cases=F("open_cases") + delta)


def moved(before_owner: int | None, before_open: bool, after_owner: int | None, after_open: bool) -> None:
    """A case went from (owner, open?) to (owner, open?): keep both members' counts."""
    changes: dict[int, int] = {}
    if before_owner and before_open:
        changes[before_owner] = changes.get(before_owner, 0) - 1
    if after_owner and after_open:
        changes[after_owner] = changes.get(after_owner, 0) + 1
    for employee_id in sorted(changes):
        if changes[employee_id]:
            _add(employee_id, changes[employee_id])


def is_open(state: str) -> bool:
    return state in OPEN_STATES


def counted() -> dict[int, int]:
    """Employee id → open cases, from the kept counts (members at 0 left out)."""
    return dict(MemberLoad.objects.exclude(open_cases=0).values_list("employee_id", "open_cases"))


def actual() -> dict[int, int]:
    """Employee id → open cases, counted from the cases themselves."""
    return dict(
        Case.objects.filter(state__in=OPEN_STATES, owner__isnull=False)
        .order_by()
        .values("owner")
        .annotate(n=Count("id"))
        .values_list("owner", "n")
    )


def recount() -> int:
    """Rebuild every count from the cases (after a bulk load that bypassed the actions)."""
    counts = actual()
    with transaction.atomic():
        MemberLoad.objects.all().delete()
        MemberLoad.objects.bulk_create(
            [MemberLoad(employee_id=e, open_cases=n) for e, n in counts.items()], batch_size=1000
        )
    return len(counts)
