"""What a customer's 不满意 does to their case — one function for a revisit (FUP-1) and a survey
(CSAT-1), so both answers act alike.

The case is reopened when it can be (answered, in revisit or closed: CASE-3 "直到客户满意为止");
an archived case — or one the caller asks for (`follow_up="new_case"`) — gets a linked follow-up
case instead, with the customer's words as its description. A case still being handled already
has someone on it: nothing new is opened. With `to_supervisor` (CSAT-1) the case that carries the
complaint goes to the supervisor of the agent who owned the original case (cases.actions.routing).
"""

from kefu.cases import actions as case_actions
from kefu.cases.models import Case, CaseState
from kefu.core.actor import Actor

REOPENABLE = (CaseState.INFORMED, CaseState.REVISIT, CaseState.CLOSED)


def unsatisfied(
    actor: Actor,
    case: Case,
    words: str,
    *,
    reason: str,
    title: str,
    follow_up: str = "reopen",
    to_supervisor: bool = False,
    rule: str = "",
    clause: str = "",
) -> Case | None:
    """Act on a 不满意 answer about `case` (see the module text). Returns the linked follow-up case
    when one was opened, else None. Runs inside the caller's transaction."""
    original_owner_id = case.owner_id
    follow_up_case = None
    if follow_up == "new_case" or case.state == CaseState.ARCHIVED:
        follow_up_case, _ = case_actions.create_case(
            actor,
            unit=case.unit,
            kind=case.kind.code,
            channel=case.channel,
            title=title[:200],
            description=words,
            customer=case.customer,
            contact={"name": case.contact_name, "phone": case.contact_phone, "email": case.contact_email}
            if actor.is_system
            else None,
            public=actor.is_system,
        )
        carrier = follow_up_case
    elif case.state in REOPENABLE:
        carrier = case_actions.act(actor, case, "reopen", reason=reason[:500])
    else:
        carrier = None
    if carrier is not None and to_supervisor:
        case_actions.routing.to_supervisor(
            actor, carrier, original_owner_id=original_owner_id, reason=reason, rule=rule, clause=clause
        )
    return follow_up_case
