"""Revisit API under /api/v1/followups: plans, tasks (with their attempts), surveys and the satisfaction
rate, campaigns and their reports, shipments (arrival revisits), one router per concern."""

from ninja import Router

from kefu.followups.http import campaigns, plans, satisfaction, shipments, surveys, tasks

router = Router(tags=["followups"])
router.add_router("/plans", plans.router)
router.add_router("/tasks", tasks.router)
router.add_router("", surveys.router)
router.add_router("/satisfaction", satisfaction.router)
router.add_router("/shipments", shipments.router)
router.add_router("", campaigns.router)
