"""Configuration of case kinds and skill groups (CASE-1, ROUTE-1) under /api/v1/cases/config, and
the supervisor's overview at /api/v1/cases/team (ROUTE-1, SLA-2, CASE-6). Parse, call a query or an
action, serialise; the actions' refusals answer the bilingual error envelope."""

from ninja import Router, Status

from kefu.cases.actions import config as actions_config
from kefu.cases.http.schemas.config import (
    GroupIn,
    GroupOut,
    GroupPatch,
    KindConfigOut,
    KindIn,
    KindPatch,
    TeamOut,
)
from kefu.cases.queries import config as config_queries
from kefu.cases.queries import routing as routing_queries
from kefu.core.http_support import actor
from kefu.org import access

router = Router(tags=["cases"])


def _create(request, payload, create, reread):
    """Create in the unit named by `unit_id` (404 outside the caller's configuration scope)."""
    current = actor(request)
    data = payload.model_dump()
    unit = config_queries.configurable_unit(current, data.pop("unit_id"))
    return Status(201, reread(current, create(current, unit=unit, **data).pk))


@router.get(
    "/config/kinds", response=list[KindConfigOut], summary="CASE-1 shipped kinds and my subsidiaries' own"
)
def list_kinds(request):
    current = actor(request)
    access.require(current, "case.configure")
    return list(config_queries.kinds(current))


@router.post(
    "/config/kinds", response={201: KindConfigOut}, summary="CASE-1 a subsidiary's own kind with its fields"
)
def create_kind(request, payload: KindIn):
    return _create(request, payload, actions_config.create_kind, config_queries.kind)


@router.patch("/config/kinds/{int:kind_id}", response=KindConfigOut, summary="CASE-1 change or retire a kind")
def update_kind(request, kind_id: int, payload: KindPatch):
    current = actor(request)
    kind = actions_config.update_kind(current, config_queries.kind(current, kind_id), **payload.changes())
    return config_queries.kind(current, kind.pk)


@router.get("/config/groups", response=list[GroupOut], summary="ROUTE-1 skill groups I configure")
def list_groups(request):
    current = actor(request)
    access.require(current, "case.configure")
    return list(config_queries.groups(current))


@router.post("/config/groups", response={201: GroupOut}, summary="ROUTE-1 a skill group with its members")
def create_group(request, payload: GroupIn):
    return _create(request, payload, actions_config.create_group, config_queries.group)


@router.patch("/config/groups/{int:group_id}", response=GroupOut, summary="ROUTE-1 change or retire a group")
def update_group(request, group_id: int, payload: GroupPatch):
    current = actor(request)
    group = actions_config.update_group(current, config_queries.group(current, group_id), **payload.changes())
    return config_queries.group(current, group.pk)


@router.get("/team", response=TeamOut, summary="ROUTE-1/SLA-2/CASE-6 the supervisor's overview of my teams")
def team(request):
    current = actor(request)
    if not routing_queries.may_read_overview(current):
        access.require(current, "case.manage")  # the refusal names what a supervisor holds
    return routing_queries.team(current)
