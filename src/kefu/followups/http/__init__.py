"""Followups API under /api/v1/followups: revisit plans and tasks (with their attempts), surveys and the
satisfaction rate, revisit campaigns and their reports, shipments (arrival revisits), and customer care —
greeting campaigns, holiday gift lists and events — one router per concern."""

from ninja import Router

from kefu.followups.http import (
    campaigns,
    events,
    gifts,
    greetings,
    plans,
    satisfaction,
    shipments,
    surveys,
    tasks,
)

router = Router(tags=["followups"])
router.add_router("/plans", plans.router)
router.add_router("/tasks", tasks.router)
router.add_router("", surveys.router)
router.add_router("/satisfaction", satisfaction.router)
router.add_router("/shipments", shipments.router)
router.add_router("", campaigns.router)
router.add_router("/greetings", greetings.router)
router.add_router("/gifts", gifts.router)
router.add_router("/events", events.router)
