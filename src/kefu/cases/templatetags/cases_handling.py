"""`{% handling_panel case request as h %}`: what the handling and 报备 panels show and offer to the
person viewing `case` (CASE-4, CASE-5, CASE-7, CASE-8), so the partials need only `case` and `request`."""

from django import template

from kefu.cases.queries import complaints as complaint_queries
from kefu.cases.queries import handoffs as handoff_queries
from kefu.cases.views.complaints import panel_context
from kefu.web.support import actor

register = template.Library()


@register.simple_tag
def handling_panel(case, request):
    me = actor(request)
    context = panel_context(me, case)
    context["units"] = handoff_queries.receivable_units(me, case) if context["may_send"] else []
    context["people"] = complaint_queries.colleagues(case) if context["may_mark"] else []
    return context
