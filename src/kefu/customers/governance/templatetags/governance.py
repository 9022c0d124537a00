"""The archive management pages' shared links, each shown only to whom its page opens (issue 13: no
link answers 403/404)."""

from django import template

from kefu.customers.governance.queries import allowed_pages
from kefu.web.support import actor

register = template.Library()


@register.inclusion_tag("customer_governance/_head.html", takes_context=True)
def governance_links(context):
    return {"allowed": allowed_pages(actor(context["request"]))}
