"""The satisfaction rate (CSAT-1, and KPI-1's 满意度 target): ONE definition, `rate`, used by the
page, the API and — issue 16 — the KPIs.

Only answers the customer gave count, each with its source recorded: the survey link, the case's
status page, a phone survey, a revisit answer. A customer nobody reached (a revisit that ended
未回访, a link never answered) gave no answer: never counted as satisfied, shown apart. Per case
only the current answer counts (a second answer replaces the first).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.engine.policy import api as policy
from kefu.engine.policy.api import add_months
from kefu.followups.models import AnswerSource, Rating, RevisitTask, Survey, SurveyAnswer, TaskState
from kefu.org import access
from kefu.org.models import Unit

VIEW = "case.view"
TARGET = "kpi.satisfaction_min"  # 确保满意度达到90%以上 (KPI-1)
CUSTOMER_SOURCES = (AnswerSource.LINK, AnswerSource.STATUS_PAGE, AnswerSource.PHONE, AnswerSource.REVISIT)
DIMENSIONS = ("agent", "team", "kind", "subsidiary", "month")
# what each dimension groups by: (key, label)
GROUPS = {
    "agent": ("survey__agent_id", "survey__agent__name"),
    "team": ("survey__agent__unit_id", "survey__agent__unit__name"),
    "kind": ("survey__case__kind__code", "survey__case__kind__name"),
    "subsidiary": ("survey__unit_id", "survey__unit__name"),
}


@dataclass(frozen=True)
class Rate:
    answered: int
    satisfied: int

    @property
    def unsatisfied(self) -> int:
        return self.answered - self.satisfied

    @property
    def percent(self) -> float | None:
        return round(100 * self.satisfied / self.answered, 1) if self.answered else None


def counted(answers: QuerySet | None = None) -> QuerySet:
    """The answers the rate counts: each case's current answer, given by the customer (source recorded)."""
    answers = SurveyAnswer.objects.all() if answers is None else answers
    return answers.filter(current=True, source__in=CUSTOMER_SOURCES)


# numerator and denominator as aggregates, so a grouped query computes them in the database
TALLY = {"answered": Count("pk"), "satisfied": Count("pk", filter=Q(overall=Rating.SATISFIED))}


def rate(answers: QuerySet | None = None) -> Rate:
    """THE satisfaction rate (CSAT-1, KPI-1).

    numerator   = current answers whose overall verdict is 满意 (no rated item 不满意; 一般 counts as
                  basically satisfied);
    denominator = current answers the customer gave (sources: link, status page, phone survey,
                  revisit answer) — one per case.
    Unreached customers and unanswered links are in neither. `answers` narrows the set (scope,
    period, agent …); `percent` is None when nothing was answered.
    """
    return Rate(**counted(answers).aggregate(**TALLY))


@dataclass(frozen=True)
class Period:
    since: datetime
    until: datetime
    months: int


def period(months: int = 3) -> Period:
    """The last `months` calendar months including this one, in local time."""
    months = months if months in (1, 3, 6, 12) else 3
    start = clock.local().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return Period(add_months(start, -(months - 1)), clock.now(), months)


def answers(actor: Actor, p: Period) -> QuerySet:
    """Answers about cases in the caller's scope (`case.view`; their own as the agent served), in `p`."""
    found = access.scoped(
        SurveyAnswer.objects.all(), actor, VIEW, unit_path="survey__unit__path", owner="survey__agent_id"
    )
    return found.filter(at__gte=p.since, at__lte=p.until)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    rate: Rate


def _subsidiaries(rows: list[dict]) -> list[Row]:
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[r["survey__unit_id"] for r in rows])}
    merged: dict[int, list] = {}
    for r in rows:
        sub = policy.subsidiary_of(units[r["survey__unit_id"]]) or units[r["survey__unit_id"]]
        tally = merged.setdefault(sub.pk, [sub.name, 0, 0])
        tally[1] += r["answered"]
        tally[2] += r["satisfied"]
    return [Row(str(pk), name, Rate(a, s)) for pk, (name, a, s) in sorted(merged.items())]


def by(actor: Actor, dimension: str, p: Period) -> list[Row]:
    """The rate per agent / team / kind / subsidiary / month over `p`, by the one definition."""
    found = counted(answers(actor, p))
    if dimension == "month":
        rows = (
            found.annotate(m=TruncMonth("at", tzinfo=clock.zone()))
            .values("m")
            .annotate(**TALLY)
            .order_by("m")
        )
        return [
            Row(f"{r['m']:%Y-%m}", f"{r['m']:%Y年%m月}", Rate(r["answered"], r["satisfied"])) for r in rows
        ]
    key, label = GROUPS[dimension]
    rows = list(found.values(key, label).annotate(**TALLY).order_by(label, key))
    if dimension == "subsidiary":
        return _subsidiaries(rows)
    return [Row(str(r[key] or ""), r[label] or "", Rate(r["answered"], r["satisfied"])) for r in rows]


def drill(actor: Actor, dimension: str, key: str, p: Period) -> QuerySet:
    """The answers behind one figure of `by` (the same set the figure counted)."""
    found = counted(answers(actor, p))
    if dimension == "all":
        pass
    elif dimension == "month":
        try:
            start = clock.local().replace(
                year=int(key[:4]), month=int(key[5:7]), day=1, hour=0, minute=0, second=0, microsecond=0
            )
        except ValueError:
            return found.none()
        found = found.filter(at__gte=start, at__lt=add_months(start, 1))
    elif dimension == "subsidiary":
        unit = Unit.objects.filter(pk=int(key)).first() if key.isdecimal() and len(key) < 18 else None
        found = found.filter(survey__unit__path__startswith=unit.path) if unit else found.none()
    elif dimension in GROUPS:
        field = GROUPS[dimension][0]
        found = found.filter(**{field: key}) if key else found.filter(**{f"{field}__isnull": True})
    else:
        return found.none()
    return found.select_related("survey__case", "survey__agent", "by").order_by("-at", "-pk")


@dataclass(frozen=True)
class Apart:
    unreached: int  # revisits that ended 未回访 — no answer, never satisfied
    unanswered: int  # links sent whose survey has no answer


def apart(actor: Actor, p: Period) -> Apart:
    """What the rate leaves out, shown beside it: customers not reached, links not answered."""
    tasks = access.scoped(RevisitTask.objects.all(), actor, VIEW, owner="assignee_id")
    surveys = access.scoped(Survey.objects.all(), actor, VIEW, owner="agent_id")
    return Apart(
        unreached=tasks.filter(
            state=TaskState.UNREACHED, ended_at__gte=p.since, ended_at__lte=p.until
        ).count(),
        unanswered=surveys.filter(issued_at__gte=p.since, issued_at__lte=p.until)
        .exclude(answers__current=True)
        .count(),
    )


def target(unit: Unit | None = None):
    """The pack's satisfaction target (KPI-1 ≥ 90 %), the entry itself for its clause."""
    return policy.lookup(TARGET, unit=unit)
