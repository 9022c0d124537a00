"""Satisfaction surveys (CSAT-1): the link after closure, its hashed token and expiry, answers that
replace but keep, the rate limit, 不满意 to the original owner's supervisor, the status page."""

import hashlib
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.pages.test_chinese_only import latin_shown

from kefu.cases import actions as case_actions
from kefu.cases.models import Case, CaseState, SatisfactionSource, Transfer
from kefu.cases.queries import public as public_queries
from kefu.core import clock, decisions, memo
from kefu.core.errors import DomainError
from kefu.engine.outbound.models import OutboundMessage
from kefu.engine.policy.api import lookup
from kefu.engine.workflow import api as workflow
from kefu.followups.actions import surveys
from kefu.followups.models import AnswerSource, Rating, Survey, SurveyAnswer
from kefu.followups.tests.survey_helpers import BAD, GOOD, close, fresh_token, token_sent, water_customer

pytestmark = pytest.mark.django_db

API = "/api/v1/public/surveys/answers"


def post_answer(token, ratings, words="", ip="198.51.100.7"):
    body = json.dumps({"token": token, "ratings": ratings, "words": words})
    return Client(REMOTE_ADDR=ip).post(API, body, content_type="application/json")


@pytest.fixture
def closed(demo, act, open_case, resolve):
    def make(customer=None):
        return close(act, resolve(open_case(customer=customer)))

    return make


def test_closing_sends_a_link_whose_token_is_stored_hashed(demo, closed):  # CSAT-1
    case = closed(water_customer(demo))
    token = token_sent(case)
    survey = Survey.objects.get(case=case)
    assert survey.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in json.dumps(
        [str(v) for v in Survey.objects.filter(pk=survey.pk).values().first().values()]
    )
    valid = lookup("csat.survey_link_valid_days")
    assert survey.expires_at == valid.due(survey.issued_at) and valid.default_not_from_seeds
    assert survey.channel == "sms" and survey.agent_id == demo["lvxin"].pk
    message = OutboundMessage.objects.get(purpose="满意度调查")
    assert message.customer_id == case.customer_id
    why = decisions.for_object(survey).get()
    assert why.rule == "CSAT-1" and "短信" in why.outcome


def test_without_a_customer_the_link_is_on_the_status_page(demo, closed):  # CSAT-1
    case = closed()
    assert Survey.objects.filter(case=case, channel="").exists()
    assert not OutboundMessage.objects.filter(purpose="满意度调查").exists()
    secret = case_actions.intake.new_public_secret(case)
    page = Client().get(public_queries.status_path(case, secret))
    html = page.content.decode()
    assert 'id="status-survey-form"' in html and "服务质量" in html and "对解决方案的满意度" in html
    answer = Client().post(
        public_queries.status_path(case, secret),
        {"s": secret, "action": "survey", "r_service": "satisfied", "r_solution": "neutral", "words": "很好"},
    )
    assert answer.status_code == 302
    saved = SurveyAnswer.objects.get(survey__case=case)
    assert saved.source == AnswerSource.STATUS_PAGE and saved.overall == Rating.SATISFIED
    case.refresh_from_db()
    assert case.satisfied is True and case.satisfaction_source == SatisfactionSource.STATUS_PAGE


def test_the_link_expires(demo, closed):  # CSAT-1
    case = closed()
    token = fresh_token(case)
    assert Client().get(f"/survey/{token}/").status_code == 200
    clock.advance(lookup("csat.survey_link_valid_days").duration() + timedelta(minutes=1))
    page = Client().get(f"/survey/{token}/")
    assert page.status_code == 410 and "已过期" in page.content.decode()
    assert not latin_shown(page.content.decode())
    answer = post_answer(token, GOOD)
    assert answer.status_code == 410 and answer.json()["error"]["code"] == "survey_expired"
    unknown = Client().get("/survey/not-a-real-token/")
    assert unknown.status_code == 404 and "链接无效" in unknown.content.decode()
    assert post_answer("x" * 40, GOOD).json()["error"]["code"] == "survey_unknown"


def test_a_second_answer_replaces_the_first_and_both_are_kept(demo, closed):  # CSAT-1
    case = closed()
    token = fresh_token(case)
    first = post_answer(token, {"service": "satisfied", "solution": "neutral"}, "还行")
    assert first.status_code == 201, first.content
    second = post_answer(token, GOOD, "很满意")
    assert second.status_code == 201
    answers = list(SurveyAnswer.objects.filter(survey__case=case).order_by("pk"))
    assert [a.current for a in answers] == [False, True]
    assert [a.words for a in answers] == ["还行", "很满意"]
    assert all(a.questionnaire.version == 1 for a in answers)
    case.refresh_from_db()
    assert case.satisfied is True and case.satisfaction_source == SatisfactionSource.SURVEY


def test_unsatisfied_reopens_the_case_to_the_original_owners_supervisor(demo, closed):  # CSAT-1
    case = closed()
    assert case.owner_id == demo["lvxin"].pk
    answer = post_answer(fresh_token(case), BAD, "水压还是不稳定")
    assert answer.status_code == 201 and answer.json()["overall"] == "unsatisfied"
    case.refresh_from_db()
    assert case.state == CaseState.INVESTIGATING and case.reopen_count == 1
    assert case.owner_id == demo["gaofeng"].pk  # 吕欣's supervisor
    assert Transfer.objects.filter(case=case, to_owner=demo["gaofeng"]).exists()
    assert "水压还是不稳定" in workflow.history(case).get(transition="reopen").reason
    saved = SurveyAnswer.objects.get(survey__case=case)
    why = decisions.for_object(saved).get()
    assert why.rule == "CSAT-1" and "重新处理" in why.outcome
    assert decisions.for_object(case).filter(rule="CSAT-1", outcome__contains="高峰").exists()


def test_unsatisfied_about_an_archived_case_opens_a_follow_up_for_the_supervisor(demo, act, closed):  # CSAT-1
    case = closed()
    case = case_actions.act(act("gaofeng"), case, "archive")
    surveys.answer_by_token(token=fresh_token(case), ratings=BAD, words="还是漏水", ip="198.51.100.8")
    answer = SurveyAnswer.objects.get(survey__case=case)
    follow_up = Case.objects.get(pk=answer.follow_up_case_id)
    assert follow_up.description == "还是漏水" and case.number in follow_up.title
    assert follow_up.owner_id == demo["gaofeng"].pk


def test_public_answers_are_rate_limited_per_address(demo, closed):  # CSAT-1
    limit = int(lookup("csat.public_answers_per_ip").value)
    for _ in range(limit):
        assert post_answer("unknown-token", GOOD, ip="203.0.113.9").status_code == 404
    refused = post_answer("unknown-token", GOOD, ip="203.0.113.9")
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "public_rate_limited"
    assert post_answer("unknown-token", GOOD, ip="203.0.113.10").status_code == 404  # another address
    clock.advance(lookup("csat.public_answer_window").duration() + timedelta(seconds=1))
    assert post_answer("unknown-token", GOOD, ip="203.0.113.9").status_code == 404


def test_the_answer_is_written_in_a_bounded_number_of_statements(demo, closed):  # CSAT-1
    case = closed()
    token = fresh_token(case)
    with memo.scope(), CaptureQueriesContext(connection) as satisfied:
        surveys.answer_by_token(token=token, ratings=GOOD, ip="198.51.100.20")
    with memo.scope(), CaptureQueriesContext(connection) as unsatisfied:
        surveys.answer_by_token(token=token, ratings=BAD, words="不行", ip="198.51.100.20")
    assert len(satisfied) <= 20 and len(unsatisfied) <= 60  # measured 14 and 44


def test_the_public_page_is_one_tap_and_chinese(demo, closed):  # CSAT-1
    token = fresh_token(closed())
    html = Client().get(f"/survey/{token}/").content.decode()
    assert html.count('type="radio"') == 6 and "意见和建议" in html and 'class="survey-tap' in html
    assert not latin_shown(html)
    done = Client().post(
        f"/survey/{token}/", {"r_service": "unsatisfied", "r_solution": "unsatisfied", "words": "太慢"}
    )
    assert done.status_code == 200 and "主管" in done.content.decode()
    missing = Client().post(f"/survey/{token}/", {"r_service": "satisfied"})
    assert missing.status_code == 400 and "请选择一个答案" in missing.content.decode()


def test_words_too_long_are_refused_with_nothing_written(demo, closed):  # CSAT-1
    token = fresh_token(closed())
    with pytest.raises(DomainError):
        surveys.answer_by_token(token=token, ratings=GOOD, words="字" * 2001, ip="198.51.100.30")
    assert not SurveyAnswer.objects.exists()
