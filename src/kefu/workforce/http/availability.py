"""Who is available now under /api/v1/workforce/availability (LV-5, ROUTE-1): rota + leave + override."""

from datetime import datetime

from ninja import Router, Schema

from kefu.core.http_support import actor
from kefu.workforce.queries import availability as queries

router = Router(tags=["workforce"])


class TeamAvailabilityOut(Schema):
    employee_id: int
    name: str
    available: bool
    on_leave: bool
    off_shift: bool
    override: str | None  # the supervisor's reason when marked unavailable by hand
    reason: str  # in words (zh-Hans)


@router.get("", response=list[TeamAvailabilityOut], summary="My team's availability at an instant (LV-5)")
def team(request, at: datetime | None = None):
    return [
        {
            "employee_id": why.employee.pk,
            "name": why.employee.name,
            "available": why.available,
            "on_leave": why.on_leave,
            "off_shift": why.off_shift,
            "override": why.override,
            "reason": why.reason_zh,
        }
        for why in queries.team(actor(request), at)
    ]
