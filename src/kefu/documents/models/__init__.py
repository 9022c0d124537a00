"""Documents (DOC-1): one module per concern."""

from kefu.documents.models.notices import Notice, NoticeKind
from kefu.documents.models.plans import ItemStatus, PlanItem, PlanKind, ProgressUpdate, WorkPlan
from kefu.documents.models.policies import Policy, PolicyVersion, Reading, Reminder
from kefu.documents.models.suggestions import Suggestion, SuggestionStatus

__all__ = [
    "ItemStatus",
    "Notice",
    "NoticeKind",
    "PlanItem",
    "PlanKind",
    "Policy",
    "PolicyVersion",
    "ProgressUpdate",
    "Reading",
    "Reminder",
    "Suggestion",
    "SuggestionStatus",
    "WorkPlan",
]
