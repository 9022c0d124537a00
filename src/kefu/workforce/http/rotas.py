"""Rotas under /api/v1/workforce/rotas (WFM-1): draft by the solver, advance the lifecycle, staff
comments, emergency call-in, my shifts and my calendar feed."""

from ninja import Router, Status

from kefu.core import clock
from kefu.core.http_support import actor
from kefu.org import access
from kefu.workforce.actions import rotas as actions
from kefu.workforce.http.schemas import (
    AdvanceIn,
    CallInIn,
    DraftIn,
    FeedOut,
    RotaCommentIn,
    RotaCommentOut,
    RotaDetailOut,
    RotaOut,
    ShiftOut,
)
from kefu.workforce.queries import rotas as queries

router = Router(tags=["workforce"])


@router.get("/rotas", response=list[RotaOut], summary="Rotas I may see")
def list_rotas(request, unit_id: int | None = None):
    me = actor(request)
    unit = queries.team(me, unit_id) if unit_id is not None else None
    return list(queries.rotas(me, unit=unit)[:200])


@router.post("/rotas", response={201: RotaDetailOut}, summary="Draft a team's rota with the solver (WFM-1)")
def draft_rota(request, payload: DraftIn):
    me = actor(request)
    unit = queries.team(me, payload.unit_id)
    off = {employee: set(days) for employee, days in payload.unavailable.items()}
    rota = actions.draft(me, unit, payload.starts_on, payload.ends_on, unavailable=off)
    return Status(201, _detail(rota))


def _shift(s) -> dict:
    return {
        "id": s.pk,
        "rota_id": s.rota_id,
        "employee_id": s.employee_id,
        "employee_name": s.employee.name,
        "template_code": s.template.code if s.template is not None else None,
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
        "called_in": s.called_in,
    }


def _detail(rota) -> dict:
    return {
        "id": rota.pk,
        "unit_id": rota.unit_id,
        "unit_name": rota.unit.name,
        "starts_on": rota.starts_on,
        "ends_on": rota.ends_on,
        "state": rota.state,
        "published_at": rota.published_at,
        "gaps": rota.gaps,
        "shifts": [_shift(s) for s in queries.shifts(rota)],
    }


@router.get("/rotas/{rota_id}", response=RotaDetailOut, summary="A rota with its shifts")
def get_rota(request, rota_id: int):
    return _detail(queries.rota(actor(request), rota_id))


@router.post("/rotas/{rota_id}/advance", response=RotaOut, summary="Next step: feedback, final, published")
def advance_rota(request, rota_id: int, payload: AdvanceIn):
    me = actor(request)
    return actions.advance(me, queries.rota(me, rota_id), confirm_gaps=payload.confirm_gaps)


@router.get("/rotas/{rota_id}/comments", response=list[RotaCommentOut], summary="Staff comments on a rota")
def list_comments(request, rota_id: int):
    return list(queries.comments(queries.rota(actor(request), rota_id)))


@router.post(
    "/rotas/{rota_id}/comments", response={201: RotaCommentOut}, summary="Comment in the feedback round"
)
def add_comment(request, rota_id: int, payload: RotaCommentIn):
    me = actor(request)
    return Status(201, actions.comment(me, queries.rota(me, rota_id), payload.text))


@router.post("/call-ins", response={201: ShiftOut}, summary="Emergency call-in: a shift now (WFM-1)")
def call_in(request, payload: CallInIn):
    me = actor(request)
    access.require(me, "rota.manage")
    employee = queries.employee(me, payload.employee_id)
    shift = actions.call_in(me, employee, payload.starts_at, payload.ends_at, reason=payload.reason)
    return Status(201, _shift(shift))


@router.get("/my/shifts", response=list[ShiftOut], summary="My published shifts from today")
def my_shifts(request):
    me = actor(request)
    return [_shift(s) for s in queries.my_shifts(me, since=clock.now())[:500]]


@router.post("/my/feed", response={201: FeedOut}, summary="A new personal calendar (.ics) link")
def new_feed(request):
    token = actions.issue_feed(actor(request))
    return Status(201, {"url": request.build_absolute_uri(f"/workforce/ics/{token}.ics")})
