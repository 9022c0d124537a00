"""Data scopes (ORG-3): turn a caller's grants into a queryset filter.

A grant says "for this permission you see records under the unit with this path" (or only your
own records). Resolution of grants from roles and delegations lives in `kefu.org.access`; this
module only knows how to filter, so every app filters the same way.
"""

from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class Grant:
    permission: str
    scope: str  # own / team / department / subsidiary / group
    anchor_path: str  # "/1/4/" — the unit whose subtree is visible; unused for "own"
    employee_id: int | None  # whose "own" records


def scope_q(grants: list[Grant], *, unit_path: str | None, owner: str | None) -> Q | None:
    """OR of the grants as a Q over `unit_path` (e.g. "unit__path") and `owner` (e.g. "owner_id").

    Returns None when the grants give access to nothing — callers then return an empty queryset.
    """
    q = None
    for grant in grants:
        if grant.scope == "own":
            if owner is None or grant.employee_id is None:
                continue
            part = Q(**{owner: grant.employee_id})
        else:
            if unit_path is None:
                continue
            part = Q(**{f"{unit_path}__startswith": grant.anchor_path})
        q = part if q is None else q | part
    return q


def apply_scope(queryset, grants: list[Grant], *, unit_path: str | None, owner: str | None):
    q = scope_q(grants, unit_path=unit_path, owner=owner)
    return queryset.none() if q is None else queryset.filter(q)


def may_place(grants: list[Grant], unit_path: str, owner_id: int | None) -> bool:
    """Whether a record created at the unit with `unit_path`, owned by `owner_id`, falls within the grants.

    A unit grant covers its anchor's subtree. An "own" grant covers only records its holder owns **and**
    places in the subtree of the unit the grant is anchored at (the unit the role was given at — by
    default the holder's own unit): owning a record never carries it into another unit (ORG-3).
    """
    for grant in grants:
        if not unit_path.startswith(grant.anchor_path):
            continue
        if grant.scope != "own" or (owner_id is not None and owner_id == grant.employee_id):
            return True
    return False
