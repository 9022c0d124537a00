"""Satisfaction surveys (CSAT-1): the questionnaire, and every way an answer comes in.

Answers come from the customer through the link (/survey/<token>/, no login, rate-limited per
address like the public case form), on the case's status page, by phone (a 回访专员 records the
same questionnaire from the revisit task page) or as a revisit answer (`from_revisit`, called by
the revisit attempt). One answer per case counts: a second replaces the first as the current one
and both are kept (the survey row is locked while the answer is written, and a partial unique
constraint keeps one current answer).

Overall verdict: 不满意 when any rated item is 不满意, else 满意 (一般 on an item without any 不满意
is 基本满意 and counts as satisfied). The case's satisfaction fields are set to agree through
`cases.actions.intake.record_satisfaction`; a 不满意 answer reopens the case, or opens a linked
follow-up case, routed to the original owner's supervisor (`outcomes.unsatisfied`, shared with
the revisit), with a decision record under CSAT-1 and the customer's words kept.
"""

import re

from django.db import transaction
from django.db.models import Q

from kefu.cases import actions as case_actions
from kefu.cases.actions.public import RateLimited, address_hash, reached
from kefu.cases.models import Case, CaseState, SatisfactionSource
from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound
from kefu.engine.policy import api as policy
from kefu.followups.actions import outcomes, survey_links
from kefu.followups.models import (
    AnswerSource,
    Questionnaire,
    Rating,
    RevisitTask,
    Survey,
    SurveyAnswer,
    SurveyHit,
)
from kefu.followups.queries import surveys as survey_queries
from kefu.org import access
from kefu.org.models import Scope, Unit

CONFIGURE = "revisit.configure"
HANDLE = "revisit.handle"
WORDS_MAX = 2000
ITEMS_MAX = 10
CODE = re.compile(r"^[a-z][a-z0-9_]{0,29}$")
CLAUSE = "调查内容可以包括客户对服务质量、解决问题的满意程度等方面的评价。"
SYSTEM_LINK = "public survey"
CASE_SOURCE = {
    AnswerSource.LINK: SatisfactionSource.SURVEY,
    AnswerSource.PHONE: SatisfactionSource.SURVEY,
    AnswerSource.STATUS_PAGE: SatisfactionSource.STATUS_PAGE,
}
HANDLING = (CaseState.INFORMED, CaseState.REVISIT, CaseState.CLOSED, CaseState.ARCHIVED)


# ---- the questionnaire -----------------------------------------------------------------------


def _items(items) -> list[dict]:
    if not isinstance(items, list) or not 0 < len(items) <= ITEMS_MAX:
        raise Invalid(
            "survey_items", f"问卷须有 1 至 {ITEMS_MAX} 项", f"A questionnaire has 1 to {ITEMS_MAX} items"
        )
    clean, codes = [], set()
    for item in items:
        item = item if isinstance(item, dict) else {}
        code, kind = str(item.get("code") or ""), item.get("kind")
        zh, en = str(item.get("zh") or "").strip(), str(item.get("en") or "").strip()
        if not CODE.match(code) or code in codes or kind not in ("rating", "text") or not zh or not en:
            raise Invalid(
                "survey_item_invalid",
                "每一项须有唯一代码（小写字母开头）、中英文名称，类型为评分或文字",
                "Each item needs a unique code (a lower-case letter first), Chinese and English labels, "
                "and the kind rating or text",
                {"items": "invalid"},
            )
        codes.add(code)
        clean.append({"code": code, "zh": zh[:100], "en": en[:100], "kind": kind})
    if not any(i["kind"] == "rating" for i in clean):
        raise Invalid(
            "survey_no_rating", "问卷至少要有一个评分项", "A questionnaire needs at least one rated item"
        )
    return clean


def configure(actor: Actor, unit: Unit | None, items) -> Questionnaire:
    """A new version of the questionnaire of `unit`'s subsidiary (None: the group default)."""
    access.require(actor, CONFIGURE)
    subsidiary = None
    if unit is not None:
        subsidiary = policy.subsidiary_of(unit)
        if subsidiary is None or not access.write_in_scope(actor, CONFIGURE, unit=subsidiary, owner_id=None):
            raise NotFound("子公司", "subsidiary")
    elif access.widest_scope(actor, CONFIGURE) != Scope.GROUP:
        raise NotFound("子公司", "subsidiary")
    items = _items(items)
    with transaction.atomic():
        last = (
            Questionnaire.objects.select_for_update(of=("self",))
            .filter(unit=subsidiary)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )
        row = Questionnaire.objects.create(
            unit=subsidiary,
            version=(last or 0) + 1,
            items=items,
            created_at=clock.now(),
            created_by=actor.user,
        )
        audit.record(
            actor, "followups.questionnaire.set", row, after={"survey_version": row.version, "items": items}
        )
    return row


# ---- answers ---------------------------------------------------------------------------------


def _ratings(questionnaire: Questionnaire, ratings) -> dict:
    ratings = ratings if isinstance(ratings, dict) else {}
    clean = {}
    for item in questionnaire.ratings():
        value = ratings.get(item["code"])
        if value not in Rating.values:
            raise Invalid(
                "survey_rating_required",
                f"请为「{item['zh']}」选择满意、一般或不满意",
                f"Rate “{item['en']}”: satisfied, neutral or not satisfied",
                {item["code"]: "required"},
            )
        clean[item["code"]] = value
    return clean


def overall(ratings: dict) -> str:
    """不满意 when any rated item is 不满意, else 满意 (一般 counts as basically satisfied)."""
    return Rating.UNSATISFIED if Rating.UNSATISFIED in ratings.values() else Rating.SATISFIED


def _words(words) -> str:
    words = words.strip() if isinstance(words, str) else ""
    if len(words) > WORDS_MAX:
        raise Invalid(
            "survey_words_too_long",
            f"意见和建议不能超过 {WORDS_MAX} 个字",
            f"Comments may have at most {WORDS_MAX} characters",
            {"words": "too_long"},
        )
    return words


def _record(
    actor: Actor, survey: Survey, *, source: str, ratings: dict, verdict: str, words: str, by=None
) -> SurveyAnswer:
    """Write the answer as the survey's current one (the earlier one kept), inside the caller's
    transaction with the survey row locked."""
    now = clock.now()
    replaced = SurveyAnswer.objects.filter(survey=survey, current=True).update(current=False)
    answer = SurveyAnswer.objects.create(
        survey=survey,
        questionnaire_id=survey.questionnaire_id,
        source=source,
        ratings=ratings,
        overall=verdict,
        words=words,
        current=True,
        at=now,
        by=by,
    )
    audit.record(
        actor,
        "followups.survey.answer",
        answer,
        after={"survey_source": source, "survey_overall": verdict, "ratings": ratings, "replaced": replaced},
    )
    return answer


def _act_on(actor: Actor, survey: Survey, answer: SurveyAnswer) -> None:
    """Make the case agree with the answer; on 不满意 reopen it or open a follow-up, to the supervisor."""
    case = Case.objects.select_related("kind", "unit").get(pk=survey.case_id)
    satisfied = answer.overall != Rating.UNSATISFIED
    if case.state in HANDLING:
        case = case_actions.intake.record_satisfaction(
            actor, case, satisfied=satisfied, source=CASE_SOURCE[answer.source]
        )
    if satisfied:
        return
    words = answer.words or "（客户未留言）"
    answer.follow_up_case = outcomes.unsatisfied(
        actor,
        case,
        words,
        reason=f"满意度调查客户不满意：{words}",
        title=f"满意度调查不满意（{case.number}）：{case.title}",
        to_supervisor=True,
        rule="CSAT-1",
        clause=CLAUSE,
    )
    if answer.follow_up_case is not None:
        SurveyAnswer.objects.filter(pk=answer.pk).update(follow_up_case=answer.follow_up_case)
    decisions.record(
        answer,
        rule="CSAT-1",
        outcome=(
            f"客户在满意度调查中表示不满意，已开立跟进工单{answer.follow_up_case.number}"
            if answer.follow_up_case is not None
            else f"客户在满意度调查中表示不满意，工单{case.number}重新处理"
            if case.state in outcomes.REOPENABLE
            else f"客户在满意度调查中表示不满意，工单{case.number}仍在处理中"
        ),
        inputs={"case_number": case.number, "survey_source": answer.source, "survey_overall": answer.overall},
        policy_version=None,
        clause=CLAUSE,
        source=survey_links.SOURCE,
        actor=actor,
    )


def _locked(survey_id: int) -> Survey:
    return Survey.objects.select_for_update(of=("self",)).select_related("questionnaire").get(pk=survey_id)


def _check_rate(ip: str) -> None:
    """Counted per client address whatever the outcome (`csat.public_answers_per_ip` per window)."""
    ip_hash = address_hash(ip)
    if reached(SurveyHit, "csat.public_answer_window", [(Q(ip_hash=ip_hash), "csat.public_answers_per_ip")]):
        raise RateLimited(
            "提交过于频繁，请稍后再试；如有急事请致电客服热线。",
            "Too many answers; please try again later, or call the service hotline if it is urgent.",
        )
    SurveyHit.objects.create(ip_hash=ip_hash, at=clock.now())


def answer_by_token(*, token, ratings, words="", ip: str) -> SurveyAnswer:
    """The customer answers through the link (no login): rate-limited, checked, then recorded."""
    _check_rate(ip)
    survey = survey_queries.of_token(token)
    ratings, words = _ratings(survey.questionnaire, ratings), _words(words)
    actor = Actor.system(SYSTEM_LINK)
    with transaction.atomic():
        survey = _locked(survey.pk)
        answer = _record(
            actor, survey, source=AnswerSource.LINK, ratings=ratings, verdict=overall(ratings), words=words
        )
        _act_on(actor, survey, answer)
    return answer


def answer_on_status_page(case: Case, *, ratings, words="", ip: str) -> SurveyAnswer:
    """The customer answers on the case's status page (the page's secret already identified them)."""
    _check_rate(ip)
    survey = Survey.objects.select_related("questionnaire").filter(case=case).first()
    if survey is None:
        raise survey_queries.SurveyGone(expired=False)
    ratings, words = _ratings(survey.questionnaire, ratings), _words(words)
    actor = Actor.system("public status page")
    with transaction.atomic():
        survey = _locked(survey.pk)
        answer = _record(
            actor,
            survey,
            source=AnswerSource.STATUS_PAGE,
            ratings=ratings,
            verdict=overall(ratings),
            words=words,
        )
        _act_on(actor, survey, answer)
    return answer


def _survey_for(actor: Actor, case: Case) -> Survey:
    """The case's survey, locked; a phone survey or revisit before any link creates it (no link sent)."""
    survey = (
        Survey.objects.select_for_update(of=("self",))
        .select_related("questionnaire")
        .filter(case=case)
        .first()
    )
    if survey is None:
        survey, _ = survey_links.issue(actor, case)
    return survey


def by_phone(actor: Actor, task: RevisitTask, *, ratings, words="") -> SurveyAnswer:
    """A 回访专员 records, from the revisit task page, the customer's answers to the questionnaire
    given on the phone (source: phone, by: them). The task's case is the one surveyed."""
    if task.case_id is None or not access.write_in_scope(
        actor, HANDLE, unit=task.unit, owner_id=task.assignee_id
    ):
        raise NotFound("回访任务", "revisit task")
    by = access.employee_of(actor.user)
    if by is None:
        raise Invalid("followups_no_employee", "只有员工可以记录电话调查", "Only staff record phone surveys")
    with transaction.atomic():
        survey = _survey_for(actor, task.case)
        ratings, words = _ratings(survey.questionnaire, ratings), _words(words)
        answer = _record(
            actor,
            survey,
            source=AnswerSource.PHONE,
            ratings=ratings,
            verdict=overall(ratings),
            words=words,
            by=by,
        )
        _act_on(actor, survey, answer)
    return answer


def from_revisit(actor: Actor, case: Case, *, satisfied: bool, words: str, by) -> SurveyAnswer:
    """The customer's answer at a revisit is the case's survey answer (source: revisit). The revisit
    attempt acts on the case itself (attempts.py); this only records the answer."""
    survey = _survey_for(actor, case)
    verdict = Rating.SATISFIED if satisfied else Rating.UNSATISFIED
    return _record(
        actor, survey, source=AnswerSource.REVISIT, ratings={}, verdict=verdict, words=words, by=by
    )
