"""Documents API under /api/v1/documents (DOC-1), one router per concern."""

from ninja import Router

from kefu.documents.http import notices, plans, policies, suggestions

router = Router(tags=["documents"])
router.add_router("/policies", policies.router)
router.add_router("/notices", notices.router)
router.add_router("/plans", plans.router)
router.add_router("/suggestions", suggestions.router)
