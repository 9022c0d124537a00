"""Calls of phone cases and how soon they were answered (SLA-1, `actions/calls.py`), in the caller's scope."""

from datetime import datetime

from django.db.models import Exists, OuterRef, Q

from kefu.cases.models import CallRecord, CallSource, Case
from kefu.cases.queries import intake
from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.org.models import Employee


def calls_of(case: Case) -> list[CallRecord]:
    """The calls of a case the caller already sees, oldest first."""
    return list(case.calls.select_related("agent"))


def case_by_number(actor: Actor, number: str) -> Case:
    """A case by its number within the caller's scope; NotFound (404) otherwise."""
    found = intake.cases(actor).filter(number=(number or "").strip()).select_related("unit").first()
    if found is None:
        raise NotFound("工单", "case")
    return found


def agents_by_number(numbers: list[str]) -> dict[str, Employee]:
    """The agents a call log names by staff number (a number nobody has stays unlinked)."""
    wanted = {n for n in numbers if n}
    return {e.number: e for e in Employee.objects.filter(number__in=wanted)} if wanted else {}


def counted(actor: Actor):
    """The calls that count, in the caller's scope: every logged call, and the agent's own record
    only for a case without a logged call (the log is the record where one exists)."""
    logged = CallRecord.objects.filter(case=OuterRef("case"), source=CallSource.LOG)
    return (
        CallRecord.objects.filter(case__in=intake.cases(actor).values("pk"))
        .alias(logged=Exists(logged))
        .filter(Q(source=CallSource.LOG) | Q(source=CallSource.AGENT, logged=False))
    )


def summary(actor: Actor, since: datetime, until: datetime) -> dict:
    """How many calls rang in [since, until) and how many were not answered within the rings."""
    found = counted(actor).filter(rang_at__gte=since, rang_at__lt=until)
    calls = found.count()
    breaches = found.filter(within=False).count()
    return {"calls": calls, "within": calls - breaches, "breaches": breaches}
