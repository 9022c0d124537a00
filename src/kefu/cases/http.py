"""Case API under /api/v1/cases. Each concern has its own router module.

The intake/list router of `http_cases.py` is the mounted router itself, so that its root endpoints
answer at /api/v1/cases (a nested router would add a trailing slash); the others hang below it.
"""

from kefu.cases.http_cases import router
from kefu.cases.http_config import router as config_router
from kefu.cases.http_handling import router as handling_router

router.add_router("", config_router)  # kinds and skill groups (CASE-1, ROUTE-1), supervisor overview
router.add_router("", handling_router)  # closure reports, compensation, staff-caused, handoffs

__all__ = ["router"]
