"""`{% handling_panel case request as h %}`: what the handling and 报备 panels show and offer to the
person viewing `case` (CASE-4, CASE-5, CASE-7, CASE-8), so the partials need only `case` and `request`."""

from django import template

register = template.Library()


@register.simple_tag
def handling_panel(case, request):
    from kefu.cases import queries_handling
    from kefu.cases.views_handling import colleagues, panel_context
    from kefu.web.support import actor

    me = actor(request)
    context = panel_context(me, case)
    context["units"] = queries_handling.receivable_units(me, case) if context["may_send"] else []
    context["people"] = colleagues(case) if context["may_mark"] else []
    return context
