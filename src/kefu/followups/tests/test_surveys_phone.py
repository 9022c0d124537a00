"""Phone surveys, revisit answers and questionnaire versions (CSAT-1)."""

import json

import pytest
from django.test import Client

from kefu.cases.models import Case, CaseState, SatisfactionSource
from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.core.errors import DomainError, NotFound
from kefu.engine.outbound.models import OutboundMessage
from kefu.engine.policy.api import subsidiary_of
from kefu.followups.actions import attempts, surveys
from kefu.followups.models import AnswerSource, Outcome, Questionnaire, Rating, RevisitTask, SurveyAnswer
from kefu.followups.tests.survey_helpers import BAD, GOOD, close, fresh_token, water_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(plan, open_case, resolve):
    return RevisitTask.objects.get(case=resolve(open_case()))


def test_a_phone_survey_is_recorded_by_the_officer_and_the_case_agrees(demo, act, task):  # CSAT-1
    attempts.record(act("zhengkai"), task, outcome=Outcome.SATISFIED)  # the revisit closes the case
    answer = surveys.by_phone(act("zhengkai"), task, ratings={"service": "satisfied", "solution": "neutral"})
    assert answer.source == AnswerSource.PHONE and answer.by_id == demo["zhengkai"].pk
    assert answer.overall == Rating.SATISFIED and answer.current
    case = Case.objects.get(pk=task.case_id)
    assert case.satisfied is True and case.satisfaction_source == SatisfactionSource.SURVEY
    revisit = SurveyAnswer.objects.get(survey__case=case, source=AnswerSource.REVISIT)
    assert not revisit.current  # replaced, kept
    unhappy = surveys.by_phone(act("zhengkai"), task, ratings=BAD, words="电话里说问题又出现了")
    case.refresh_from_db()
    assert unhappy.overall == Rating.UNSATISFIED
    assert case.state == CaseState.INVESTIGATING and case.owner_id == demo["gaofeng"].pk


def test_the_phone_survey_form_on_the_revisit_page(demo, act, task):  # CSAT-1
    client = Client()
    client.force_login(demo["zhengkai"].user)
    page = client.get(f"/revisits/{task.pk}/").content.decode()
    assert 'id="phone-survey-form"' in page and "服务质量" in page
    done = client.post(f"/revisits/{task.pk}/survey/", {"r_service": "satisfied", "r_solution": "satisfied"})
    assert done.status_code == 302
    answer = SurveyAnswer.objects.get(survey__case_id=task.case_id)
    assert answer.source == AnswerSource.PHONE and answer.by_id == demo["zhengkai"].pk
    case = Case.objects.get(pk=task.case_id)
    assert case.satisfied is True and case.satisfaction_source == SatisfactionSource.SURVEY
    page = client.get(f"/revisits/{task.pk}/").content.decode()
    assert 'id="survey-answers"' in page and "电话调查" in page
    stranger = Client()
    stranger.force_login(demo["zhaomin"].user)  # another subsidiary
    assert stranger.post(f"/revisits/{task.pk}/survey/", {"r_service": "satisfied"}).status_code == 404


def test_a_revisit_answer_is_the_survey_answer_and_no_link_follows(
    demo, act, plan, open_case, resolve
):  # CSAT-1
    task = RevisitTask.objects.get(case=resolve(open_case(customer=water_customer(demo))))
    attempts.record(act("zhengkai"), task, outcome=Outcome.SATISFIED, words="挺好")
    answer = SurveyAnswer.objects.get(survey__case_id=task.case_id)
    assert answer.source == AnswerSource.REVISIT and answer.words == "挺好" and answer.ratings == {}
    assert not OutboundMessage.objects.filter(purpose="满意度调查").exists()


def test_questionnaires_are_versioned_per_subsidiary(demo, act, open_case, resolve):  # CSAT-1
    gaofeng = act("gaofeng")
    items = [
        {"code": "service", "zh": "服务态度", "en": "Attitude", "kind": "rating"},
        {"code": "speed", "zh": "处理速度", "en": "Speed", "kind": "rating"},
        {"code": "words", "zh": "意见和建议", "en": "Comments", "kind": "text"},
    ]
    v1 = surveys.configure(gaofeng, demo["gaofeng"].unit, items)
    assert v1.version == 1 and v1.unit.kind == "subsidiary"
    case = close(act, resolve(open_case()))
    token = fresh_token(case)
    answer = surveys.answer_by_token(
        token=token, ratings={"service": "satisfied", "speed": "unsatisfied"}, ip="198.51.100.40"
    )
    assert answer.questionnaire_id == v1.pk and answer.overall == Rating.UNSATISFIED
    v2 = surveys.configure(gaofeng, demo["gaofeng"].unit, items[:1] + items[2:])
    assert v2.version == 2
    answer.refresh_from_db()
    assert answer.questionnaire.version == 1  # an answer keeps the version it answered
    with pytest.raises(DomainError):
        surveys.configure(
            gaofeng, demo["gaofeng"].unit, [{"code": "words", "zh": "意见", "en": "x", "kind": "text"}]
        )
    with pytest.raises(NotFound):
        surveys.configure(gaofeng, None, items)  # the group default is for the group's configurers
    with pytest.raises(DomainError):
        surveys.configure(act("lvxin"), demo["gaofeng"].unit, items)
    assert Questionnaire.objects.filter(unit__isnull=True).count() == 1


def test_questionnaires_through_the_api_and_the_page(demo):  # CSAT-1
    user = demo["gaofeng"].user
    _, token = create_token(Actor(user=user, origin="test"), user=user, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = {
        "unit_id": demo["gaofeng"].unit_id,
        "items": [{"code": "service", "zh": "服务质量", "en": "Service", "kind": "rating"}],
    }
    made = Client().post(
        "/api/v1/followups/surveys/questionnaires", json.dumps(body), content_type="application/json", **auth
    )
    assert made.status_code == 201, made.content
    listed = Client().get("/api/v1/followups/surveys/questionnaires", **auth).json()
    assert {q["version"] for q in listed} == {1} and len(listed) == 2
    client = Client()
    client.force_login(user)
    page = client.get("/surveys/questionnaires/")
    assert page.status_code == 200 and "满意度问卷" in page.content.decode()
    saved = client.post(
        "/surveys/questionnaires/",
        {
            "unit": str(subsidiary_of(demo["gaofeng"].unit).pk),
            **{"code_0": "service", "zh_0": "服务质量", "en_0": "Service", "kind_0": "rating"},
            **{"code_1": "words", "zh_1": "意见和建议", "en_1": "Comments", "kind_1": "text"},
        },
    )
    assert saved.status_code == 302
    assert Questionnaire.objects.filter(unit=subsidiary_of(demo["gaofeng"].unit)).count() == 2
    agent = Client()
    agent.force_login(demo["lvxin"].user)
    assert agent.get("/surveys/questionnaires/").status_code == 403


def test_the_phone_survey_api(demo, act, task):  # CSAT-1
    user = demo["zhengkai"].user
    _, token = create_token(Actor(user=user, origin="test"), user=user, name="t")
    answer = Client().post(
        f"/api/v1/followups/tasks/{task.pk}/survey",
        json.dumps({"ratings": GOOD}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["source"] == "phone" and answer.json()["version"] == 1
