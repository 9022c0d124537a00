"""Case API under /api/v1/cases. Each concern has its own router module."""

from ninja import Router

from kefu.cases.api_cases import router as cases_router
from kefu.cases.api_handling import router as handling_router

router = Router(tags=["cases"])
router.add_router("/", handling_router)  # closure reports, compensation, staff-caused, handoffs
router.add_router("/", cases_router)  # intake, list, detail, transitions, comments, attachments
