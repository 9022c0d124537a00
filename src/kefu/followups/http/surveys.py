"""Survey API (CSAT-1): the customer's answer at /api/v1/public/surveys/answers (no login: the survey
token in the body, rate-limited per address), the phone survey and the questionnaires under
/api/v1/followups."""

from datetime import datetime
from typing import Literal

from ninja import Router, Schema, Status
from pydantic import Field

from kefu.cases.http.public import client_address
from kefu.core.http_support import StrictSchema, actor
from kefu.followups.actions import surveys as actions
from kefu.followups.queries import plans as plan_queries
from kefu.followups.queries import surveys as queries
from kefu.followups.queries import tasks as task_queries

router = Router(tags=["followups"])
public_router = Router(tags=["public"])  # mounted at /api/v1/public/surveys: no login (the token is the key)

RatingValue = Literal["satisfied", "neutral", "unsatisfied"]


class SurveyAnswerIn(StrictSchema):
    token: str = Field(max_length=100, description="the survey token from the customer's link")
    ratings: dict[str, RatingValue] = Field(description="item code → satisfied / neutral / unsatisfied")
    words: str = Field("", max_length=2000, description="意见和建议")


class PhoneSurveyIn(StrictSchema):
    ratings: dict[str, RatingValue]
    words: str = Field("", max_length=2000)


class SurveyAnswerOut(Schema):
    id: int
    source: str  # link, status_page, phone or revisit
    overall: str  # satisfied or unsatisfied (不满意 when any rated item is 不满意)
    ratings: dict[str, str]
    at: datetime
    follow_up_case_id: int | None
    version: int = Field(validation_alias="questionnaire.version")


class PublicSurveyAnswerOut(Schema):
    overall: str
    at: datetime


class QuestionnaireItem(Schema):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]{0,29}$")
    zh: str = Field(max_length=100)
    en: str = Field(max_length=100)
    kind: Literal["rating", "text"]


class QuestionnaireIn(StrictSchema):
    unit_id: int | None = Field(None, description="a subsidiary; empty for the group default")
    items: list[QuestionnaireItem] = Field(max_length=10)


class QuestionnaireOut(Schema):
    id: int
    unit_id: int | None
    version: int
    items: list[QuestionnaireItem]
    created_at: datetime


@public_router.post(
    "/answers",
    auth=None,
    response={201: PublicSurveyAnswerOut},
    summary="The customer answers a survey (no login; token in the body; rate-limited) (CSAT-1)",
)
def answer(request, payload: SurveyAnswerIn):
    """A second answer replaces the first as the current one (both kept). 不满意 reopens the case or
    opens a linked follow-up case for the original owner's supervisor. Unknown token 404
    (`survey_unknown`), expired 410 (`survey_expired`), too many answers from one address 429."""
    done = actions.answer_by_token(
        token=payload.token, ratings=payload.ratings, words=payload.words, ip=client_address(request)
    )
    return Status(201, done)


@router.post(
    "/tasks/{task_id}/survey",
    response={201: SurveyAnswerOut},
    summary="Record a phone survey from a revisit task (source: phone) (CSAT-1)",
)
def phone(request, task_id: int, payload: PhoneSurveyIn):
    me = actor(request)
    task = task_queries.task(me, task_id)
    return Status(201, actions.by_phone(me, task, ratings=payload.ratings, words=payload.words))


@router.get(
    "/surveys/questionnaires",
    response=list[QuestionnaireOut],
    summary="The latest questionnaire of the group and of each subsidiary I configure",
)
def list_questionnaires(request):
    return queries.questionnaires(actor(request))


@router.post(
    "/surveys/questionnaires",
    response={201: QuestionnaireOut},
    summary="Save a new questionnaire version for a subsidiary or the group default (CSAT-1)",
)
def set_questionnaire(request, payload: QuestionnaireIn):
    me = actor(request)
    unit = plan_queries.unit(me, payload.unit_id) if payload.unit_id is not None else None
    return Status(201, actions.configure(me, unit, [i.model_dump() for i in payload.items]))
