"""The followups app's tables, one module per concern (revisits, campaigns; surveys and care join them)."""

from kefu.followups.models.campaigns import CampaignState, RevisitCampaign
from kefu.followups.models.revisits import (
    Outcome,
    RevisitAttempt,
    RevisitPlan,
    RevisitTask,
    TaskState,
    Trigger,
)
from kefu.followups.models.surveys import (
    AnswerSource,
    Questionnaire,
    Rating,
    Survey,
    SurveyAnswer,
    SurveyHit,
)

__all__ = [
    "AnswerSource",
    "CampaignState",
    "Outcome",
    "Questionnaire",
    "Rating",
    "RevisitAttempt",
    "RevisitCampaign",
    "RevisitPlan",
    "RevisitTask",
    "Survey",
    "SurveyAnswer",
    "SurveyHit",
    "TaskState",
    "Trigger",
]
