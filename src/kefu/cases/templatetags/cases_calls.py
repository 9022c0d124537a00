"""`{% calls_panel case request as c %}`: what the SLA-1 panel shows and offers to the person viewing
`case` — the calls of a phone case and how soon each was answered, the agent's own ring count where
no telephony log has the call, and the major-quality notice to the office supervisor."""

from django import template

from kefu.cases.actions import blocks
from kefu.cases.models import CallSource, Channel
from kefu.cases.queries import calls as call_queries
from kefu.cases.queries import notices as notice_queries
from kefu.web.support import actor

register = template.Library()


@register.simple_tag
def calls_panel(case, request):
    me = actor(request)
    handler = blocks.is_owner(me, case) or blocks.manages(me, case)
    phone = case.channel == Channel.PHONE
    calls = call_queries.calls_of(case) if phone else []
    notice = notice_queries.pending_notice(case)
    return {
        "phone": phone,
        "calls": calls,
        "may_record": handler and phone and not calls,
        "logged": any(c.source == CallSource.LOG for c in calls),
        "notice": notice,
        "may_notify": handler and notice is not None,
        "shown": phone or notice is not None,
    }
