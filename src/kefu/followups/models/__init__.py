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

__all__ = [
    "CampaignState",
    "Outcome",
    "RevisitAttempt",
    "RevisitCampaign",
    "RevisitPlan",
    "RevisitTask",
    "TaskState",
    "Trigger",
]
