"""Emergency API under /api/v1/emergency, one router per concern."""

from ninja import Router

router = Router(tags=["emergency"])

from kefu.emergency.http import bodies, plans  # noqa: E402  EMG-1, EMG-2, EMG-3, EMG-6

router.add_router("/plans", plans.router)
router.add_router("", bodies.router)
from kefu.emergency.http import surges  # noqa: E402  EMG-5

router.add_router("/surges", surges.router)
from kefu.emergency.http import fees, resources, weather  # noqa: E402  RES-1, WX-1, FEE-1

router.add_router("/resources", resources.router)
router.add_router("/weather", weather.router)
router.add_router("/fees", fees.router)
from kefu.emergency.http import drills  # noqa: E402  DRL-1

router.add_router("/drills", drills.router)
from kefu.emergency.http import incidents  # noqa: E402  EMG-4, EMG-5

router.add_router("/incidents", incidents.router)
