"""班次与覆盖规则 page of a team (WFM-1): its shift templates and coverage rules, and for the
排班管理员 the forms that set them."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.errors import DomainError
from kefu.org import access
from kefu.web.support import actor, apply_error, attempt, denied, web_view
from kefu.workforce.actions import coverage as coverage_actions
from kefu.workforce.actions import shifts as actions
from kefu.workforce.models import DayKind
from kefu.workforce.queries import coverage as coverage_queries
from kefu.workforce.queries import rotas as queries
from kefu.workforce.views.forms import CoverageForm, TemplateForm
from kefu.workforce.views.rotas import MANAGE, VIEW


def _context(me, team, template_form=None, coverage_form=None):
    templates = list(queries.templates(team))
    groups = coverage_queries.skill_groups(team)
    kinds = dict(DayKind.choices)
    shift_order = {t.pk: n for n, t in enumerate(templates)}
    kind_order = {k: n for n, k in enumerate(kinds)}
    # by shift, then 工作日 · 周末 · 法定节假日 as the choices are declared
    rules = sorted(
        coverage_queries.rules(team),
        key=lambda r: (shift_order.get(r.template_id, 0), kind_order.get(r.day_kind, 0)),
    )
    for rule in rules:
        rule.kind_name = kinds.get(rule.day_kind, "")
    return {
        "team": team,
        "templates": templates,
        "rules": rules,
        "may_manage": access.can(me, MANAGE) and access.write_in_scope(me, MANAGE, unit=team, owner_id=None),
        "template_form": template_form or TemplateForm(),
        "coverage_form": coverage_form or CoverageForm(templates=templates, groups=groups),
    }


@web_view
def team(request, unit_pk: int):
    me = actor(request)
    if not access.can(me, VIEW):
        return denied(request)
    found = queries.team(me, unit_pk)
    return render(request, "workforce/team.html", _context(me, found))


@web_view
@require_POST
def save_template(request, unit_pk: int):
    me = actor(request)
    found = queries.team(me, unit_pk)
    form = TemplateForm(request.POST)
    context = _context(me, found, template_form=form)
    if not form.is_valid():
        form.add_error(None, _("Please check the marked fields."))
        return render(request, "workforce/team.html", context, status=400)
    data = form.cleaned_data

    def page(error: DomainError):
        apply_error(form, error)
        return "workforce/team.html", context

    return attempt(
        request,
        lambda: actions.save_template(
            me,
            found,
            code=data["code"],
            name=data["name"],
            starts=data["starts"],
            ends=data["ends"],
            active=data["active"],
        ),
        success=_("The shift was saved."),
        then=reverse("workforce:team", args=[unit_pk]),
        page=page,
    )


@web_view
@require_POST
def set_coverage(request, unit_pk: int):
    me = actor(request)
    found = queries.team(me, unit_pk)
    templates = list(queries.templates(found))
    form = CoverageForm(request.POST, templates=templates, groups=coverage_queries.skill_groups(found))
    context = _context(me, found, coverage_form=form)
    if not form.is_valid():
        form.add_error(None, _("Please check the marked fields."))
        return render(request, "workforce/team.html", context, status=400)
    data = form.cleaned_data
    template = queries.template(me, int(data["template"]))
    group = coverage_queries.skill_group(int(data["skill_group"]), found) if data["skill_group"] else None

    def page(error: DomainError):
        apply_error(form, error)
        return "workforce/team.html", context

    return attempt(
        request,
        lambda: coverage_actions.set_rule(
            me,
            template,
            data["day_kind"],
            min_staff=data["min_staff"],
            skill_group=group,
            min_skilled=data["min_skilled"],
        ),
        success=_("The coverage rule was saved."),
        then=reverse("workforce:team", args=[unit_pk]),
        page=page,
    )
