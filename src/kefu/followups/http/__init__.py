"""Followups API under /api/v1/followups: revisit plans and tasks (with their attempts), and customer
care — greeting campaigns, holiday gift lists and events — one router per concern."""

from ninja import Router

from kefu.followups.http import events, gifts, greetings, plans, tasks

router = Router(tags=["followups"])
router.add_router("/plans", plans.router)
router.add_router("/tasks", tasks.router)
router.add_router("/greetings", greetings.router)
router.add_router("/gifts", gifts.router)
router.add_router("/events", events.router)
