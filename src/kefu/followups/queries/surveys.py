"""Read paths of satisfaction surveys (CSAT-1): the public survey by its token, the survey shown on
a case's status page, a revisit task's survey answers, and the questionnaires in the caller's scope."""

import hashlib

from django.db.models import F, Q

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.errors import DomainError
from kefu.engine.policy import api as policy
from kefu.followups.models import Questionnaire, Survey, SurveyAnswer
from kefu.followups.models.surveys import DEFAULT_ITEMS
from kefu.org import access
from kefu.org.models import Unit

CONFIGURE = "revisit.configure"


class SurveyGone(DomainError):
    """An unknown or expired link: a clear page for the customer, never a debug 404 or a 500."""

    def __init__(self, expired: bool):
        if expired:
            super().__init__(
                "survey_expired",
                "此满意度调查链接已过期。如需反馈，请致电客服热线，谢谢！",
                "This survey link has expired. Please call the service hotline to give feedback.",
                status=410,
            )
        else:
            super().__init__(
                "survey_unknown",
                "此满意度调查链接无效，请核对链接是否完整。",
                "This survey link is not valid; please check that it is complete.",
                status=404,
            )


def token_hash(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def of_token(token) -> Survey:
    """The survey of a link's token; SurveyGone when unknown or expired."""
    token = token if isinstance(token, str) and len(token) <= 100 else ""
    survey = (
        Survey.objects.select_related("questionnaire", "case").filter(token_hash=token_hash(token)).first()
    )
    if survey is None or not token:
        raise SurveyGone(expired=False)
    if survey.expires_at <= clock.now():
        raise SurveyGone(expired=True)
    return survey


def current_answer(survey: Survey) -> SurveyAnswer | None:
    return SurveyAnswer.objects.filter(survey=survey, current=True).first()


def of_case(case) -> Survey | None:
    """The case's survey for its status page (the page's secret identifies the customer)."""
    return Survey.objects.select_related("questionnaire").filter(case=case).first()


def answers_of_case(case_id: int | None) -> list[SurveyAnswer]:
    """Every answer about the case, the current one first, then the replaced ones (history)."""
    if case_id is None:
        return []
    return list(
        SurveyAnswer.objects.filter(survey__case_id=case_id)
        .select_related("by", "questionnaire")
        .order_by("-current", "-at", "-pk")
    )


def current_questionnaire(unit: Unit | None) -> Questionnaire:
    """The latest version configured for `unit`'s subsidiary, else the group default's latest."""
    subsidiary = policy.subsidiary_of(unit)
    own = Q(unit=subsidiary) if subsidiary is not None else Q(pk__in=[])
    found = (
        Questionnaire.objects.filter(own | Q(unit__isnull=True))
        .order_by(F("unit_id").desc(nulls_last=True), "-version")
        .first()
    )
    # the seeded group default is gone only from a flushed test database: the same items, unsaved
    return found or Questionnaire(unit=None, version=1, items=DEFAULT_ITEMS)


def questionnaires(actor: Actor) -> list[Questionnaire]:
    """The latest version of the group default and of each subsidiary in the caller's configure scope."""
    rows = access.scoped(
        Questionnaire.objects.filter(unit__isnull=False), actor, CONFIGURE, unit_path="unit__path"
    )
    latest: dict = {}
    for q in (
        Questionnaire.objects.filter(Q(unit__isnull=True) | Q(pk__in=rows.values("pk")))
        .select_related("unit")
        .order_by("unit_id", "version")
    ):
        latest[q.unit_id] = q
    return sorted(latest.values(), key=lambda q: (q.unit_id is not None, q.unit.name if q.unit else ""))


def configurable_units(actor: Actor) -> list[Unit]:
    """The subsidiaries whose questionnaire the caller may set."""
    return list(
        access.scoped(Unit.objects.filter(kind="subsidiary"), actor, CONFIGURE, unit_path="path").order_by(
            "path"
        )
    )
