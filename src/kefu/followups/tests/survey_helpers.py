"""Helpers of the survey tests (CSAT-1): a case closed on the customer's word, its link's token."""

import re

from kefu.cases import actions as case_actions
from kefu.cases.actions import public
from kefu.core.actor import Actor
from kefu.customers.models import Customer
from kefu.engine.outbound.models import OutboundMessage
from kefu.followups.actions import survey_links

LINK = re.compile(r"/survey/([\w-]+)/")


def water_customer(demo) -> Customer:
    customer = (
        Customer.objects.filter(unit__path__startswith=demo["gaofeng"].unit.path).order_by("pk").first()
    )
    Customer.objects.filter(pk=customer.pk).update(contact_window="", no_third_party_contact=False)
    return Customer.objects.get(pk=customer.pk)


def close(act, case):
    """The customer says satisfied on the status page; 吕欣 closes the case (the survey link goes out)."""
    case = public.rate(case, satisfied=True)
    return case_actions.act(act("lvxin"), case, "close")


def token_sent(case) -> str:
    message = OutboundMessage.objects.filter(purpose=survey_links.PURPOSE).order_by("-pk").first()
    return LINK.search(message.body).group(1)


def fresh_token(case) -> str:
    """A new link for a case without a customer to send it to (the earlier link stops working)."""
    return survey_links.issue(Actor.system("test"), case)[1]


BAD = {"service": "neutral", "solution": "unsatisfied"}
GOOD = {"service": "satisfied", "solution": "satisfied"}
