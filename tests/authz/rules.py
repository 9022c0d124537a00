"""Building blocks of the table's expectations: who may act on a target, who may see it, and — when
the answer is a refusal — which status it must be.

Each rule knows the permission codes that can grant it (`codes`) and whether it also grants a right
everyone holds over their own records (`personal`: the owner, the assignee, the approver named on a
step). That is what the refusal status is computed from (ARCHITECTURE: "Out-of-scope objects answer
404, not 403 (no existence leak)"):

- the target is **visible** to the caller (`SEES`, from the product's read rules, expressed over the
  role table): a 403 says why and reveals nothing the caller cannot read — 403 (or 404);
- the caller holds **none** of the operation's permissions and it grants nothing personal: the
  refusal need not look at the target — 403 (or 404);
- otherwise the caller holds the right somewhere, but the target lies outside its reach and outside
  what they see: exactly **404**, as for an id that does not exist. A 403 here would confirm that the
  record exists (ORG-3).

ORG-4 (督导) needs no case of its own: the supervisory role's view is group-wide, so its refusals are
on records it sees, where the 403 `ORG-4.supervisory_only` says why.
"""

from collections.abc import Callable

from tests.authz.roles import PEOPLE_BY_NAME, SUPERVISOR_OF, chain, covers, grants, holds, under, unit_covered
from tests.authz.world import HELPERS, Target

Rule = Callable[[str, Target], bool]

HELPER_SUPERVISOR = {h[0]: (h[6],) for h in HELPERS}


def rule(check: Callable[[str, Target], bool], codes=(), *, personal: bool = False) -> Rule:
    """`check`, labelled with the permissions that can grant it and whether it grants a personal right."""
    check.codes = frozenset(codes)
    check.personal = personal
    return check


def perm(code: str) -> Rule:
    """ORG-3: `code` reaches the record (unit, or owner for "own" scopes)."""
    return rule(lambda u, t: covers(u, code, unit=t.unit, owner=t.owner), [code])


def unit_perm(code: str) -> Rule:
    """ORG-3: `code` reaches the unit (an "own" scope never reaches a unit)."""
    return rule(lambda u, t: unit_covered(u, code, t.unit), [code])


def held(code: str) -> Rule:
    return rule(lambda u, t: holds(u, code), [code])


owner = rule(lambda u, t: t.owner == u, personal=True)
anyone = rule(lambda u, t: True, personal=True)


def person(extra: str) -> Rule:
    """The person the target names under `extra` (an assignee, a claimant, a delegate)."""
    return rule(lambda u, t: u == t.get(extra), personal=True)


def either(*rules: Rule) -> Rule:
    return rule(
        lambda u, t: any(r(u, t) for r in rules),
        frozenset().union(*(r.codes for r in rules)),
        personal=any(r.personal for r in rules),
    )


def both(*rules: Rule) -> Rule:
    return rule(
        lambda u, t: all(r(u, t) for r in rules),
        frozenset().union(*(r.codes for r in rules)),
        personal=any(r.personal for r in rules),
    )


def supervisors(username: str) -> tuple:
    """ORG-2: whom a person reports to (the demo's and the matrix helpers')."""
    return SUPERVISOR_OF.get(username) or HELPER_SUPERVISOR.get(username, ())


# CLM-11: the report owner's supervisor, or 行政部 (claim.manage) over the report's unit
supervises_report = either(
    rule(lambda u, t: u in supervisors(t.owner), personal=True), unit_perm("claim.manage")
)


def _kb_readable(u: str, t: Target) -> bool:
    """KB-1: a published article is read at its unit, below it and above it (units it applies to)."""
    person_unit = PEOPLE_BY_NAME[u].unit
    for grant in grants(u, "kb.view"):
        anchor = grant.anchor or person_unit
        if under(t.unit, anchor) or anchor in chain(t.unit) or t.unit in chain(anchor):
            return True
    return False


def _handoff_seen(u: str, t: Target) -> bool:
    """CASE-8: the receiving department (case.handle there) or a reader of the case."""
    return covers(u, "case.handle", unit=t.unit, owner=t.owner) or covers(
        u, "case.view", unit=t.get("case_unit"), owner=t.get("case_owner")
    )


def care(code: str) -> Rule:
    """CARE-1…3: customer care is the subsidiary's (its campaigns, gift lists and events sit at the
    subsidiary): a `code` grant anywhere inside a subsidiary reaches that subsidiary's care records; a
    grant above every subsidiary (the group's) reaches them all."""

    def check(u: str, t: Target) -> bool:
        for grant in grants(u, code):
            anchor = grant.anchor or PEOPLE_BY_NAME[u].unit
            reach = next((a for a in chain(anchor) if a in ("hc-realty", "hc-water")), anchor)
            if under(t.unit, reach):
                return True
        return False

    return rule(check, [code])


_kb_readable = rule(_kb_readable, ["kb.view"])
_handoff_seen = rule(_handoff_seen, ["case.handle", "case.view"])
_units_seen = unit_perm("org.view")
_draft_seen = perm("kb.edit")

# Who can read a target of each family: the product's read rules, over the role table.
SEES: dict[str, Rule] = {
    "unit": _units_seen,
    "department": _units_seen,
    "subsidiary": _units_seen,
    "site": _units_seen,
    "employee": perm("org.view"),
    "customer": perm("customer.view"),
    "change_request": perm("customer.view"),
    "case": perm("case.view"),
    "queued_case": perm("case.view"),
    **{f"handoff_{s}": _handoff_seen for s in ("sent", "acknowledged", "clarifying", "solved")},
    "claim": either(owner, perm("claim.view_owner"), perm("claim.manage")),
    "dispute": either(owner, person("claimant"), unit_perm("claim.rule")),
    **{
        f"report_{s}": either(owner, person("assignee"), supervises_report)
        for s in ("submitted", "verified", "assigned", "following")
    },
    "borrowing": either(owner, unit_perm("customer.borrow")),
    "delegation": either(owner, person("delegate"), unit_perm("delegation.manage")),
    "proposal": perm("discipline.view"),
    "article_draft": _draft_seen,
    "article_published": either(_draft_seen, _kb_readable),
    "kind": unit_perm("case.configure"),
    "work_report": either(
        owner, perm("report.review"), rule(lambda u, t: u in supervisors(t.owner), personal=True)
    ),
    "service_report": unit_perm("report.review"),
    "rectification": either(owner, unit_perm("report.review")),
    "appraisal_round": unit_perm("appraisal.view"),
    "coaching_plan": either(owner, person("coach"), unit_perm("appraisal.view")),
    "group": unit_perm("case.configure"),
    **{
        family: care("care.view")
        for family in (
            "care_campaign",
            "care_delivery",
            "care_gift_list",
            "care_gift_item",
            "care_gift_pending",
            "care_gift_approved_item",
            "care_gift_issued_item",
            "care_event",
            "care_invitation",
        )
    },
    # PRC-1: a subsidiary's catalogue is read by every catalogue grant reaching into it (as care's records)
    **{
        family: either(care("catalogue.view"), care("catalogue.propose"), care("catalogue.approve"))
        for family in ("catalogue_item", "catalogue_proposal")
    },
    # ORD-1: an order is read under any order permission over its unit, or its taker's own
    **{
        f"order_{state}": either(
            perm("order.view"),
            perm("order.create"),
            perm("order.release"),
            perm("order.ship"),
            perm("order.return"),
        )
        for state in ("new", "confirmed", "released", "shipped")
    },
}


def refusal(allow: Rule, sees: Rule | None, user: str, target: Target) -> frozenset[int]:
    """The statuses a refusal of `user` on `target` may have (see the module's docstring)."""
    if sees is not None and sees(user, target):
        return frozenset({403, 404})
    if not allow.personal and not any(holds(user, code) for code in allow.codes):
        return frozenset({403, 404})
    return frozenset({404})
