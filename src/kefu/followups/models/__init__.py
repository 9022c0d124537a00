"""The followups app's tables, one module per concern (revisits; surveys and care join them)."""

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
    "Outcome",
    "Questionnaire",
    "Rating",
    "RevisitAttempt",
    "RevisitPlan",
    "RevisitTask",
    "Survey",
    "SurveyAnswer",
    "SurveyHit",
    "TaskState",
    "Trigger",
]
