"""Revisit API under /api/v1/followups: plans and tasks (with their attempts), one router per concern."""

from ninja import Router

from kefu.followups.http import plans, tasks

router = Router(tags=["followups"])
router.add_router("/plans", plans.router)
router.add_router("/tasks", tasks.router)
