"""Revisit plans under /api/v1/followups/plans (FUP-1)."""

from ninja import Router

from kefu.core.http_support import actor
from kefu.followups.actions import plans as actions
from kefu.followups.http.schemas import PlanIn, PlanOut
from kefu.followups.queries import plans as queries
from kefu.org import access

router = Router(tags=["followups"])


@router.get("", response=list[PlanOut], summary="Revisit plans of the subsidiaries in my scope")
def list_plans(request):
    me = actor(request)
    access.require(me, "revisit.view")
    return list(queries.plans(me))


@router.put("", response=PlanOut, summary="Set a subsidiary's revisit plan for a trigger (FUP-1)")
def set_plan(request, payload: PlanIn):
    me = actor(request)
    unit = queries.unit(me, payload.unit_id)
    return actions.set_plan(
        me, unit, payload.trigger, kinds=payload.kinds, tier=payload.tier, active=payload.active
    )
