"""Shift templates and coverage rules under /api/v1/workforce (WFM-1)."""

from ninja import Router

from kefu.core.http_support import actor
from kefu.org import access
from kefu.workforce.actions import coverage as coverage_actions
from kefu.workforce.actions import shifts as actions
from kefu.workforce.http.schemas import CoverageIn, CoverageOut, TemplateIn, TemplateOut
from kefu.workforce.queries import coverage as coverage_queries
from kefu.workforce.queries import rotas as queries

router = Router(tags=["workforce"])


@router.get("/teams/{unit_id}/templates", response=list[TemplateOut], summary="A team's shift templates")
def list_templates(request, unit_id: int):
    me = actor(request)
    access.require(me, queries.VIEW)
    return list(queries.templates(queries.team(me, unit_id)))


@router.put("/templates", response=TemplateOut, summary="Create or change a shift template (WFM-1)")
def save_template(request, payload: TemplateIn):
    me = actor(request)
    unit = queries.team(me, payload.unit_id)
    return actions.save_template(
        me,
        unit,
        code=payload.code,
        name=payload.name,
        starts=payload.starts,
        ends=payload.ends,
        active=payload.active,
    )


@router.get("/teams/{unit_id}/coverage", response=list[CoverageOut], summary="A team's coverage rules")
def list_coverage(request, unit_id: int):
    me = actor(request)
    access.require(me, queries.VIEW)
    return coverage_queries.rules(queries.team(me, unit_id))


@router.put(
    "/coverage", response=CoverageOut, summary="Set the minimum staff of a shift by kind of day (WFM-1)"
)
def set_coverage(request, payload: CoverageIn):
    me = actor(request)
    template = queries.template(me, payload.template_id)
    group = (
        coverage_queries.skill_group(payload.skill_group_id, template.unit)
        if payload.skill_group_id is not None
        else None
    )
    return coverage_actions.set_rule(
        me,
        template,
        payload.day_kind,
        min_staff=payload.min_staff,
        skill_group=group,
        min_skilled=payload.min_skilled,
    )
