"""The role table the authorization matrix compares against, computed from plain data only.

Nothing here asks the product who may do what: the seeded roles (`kefu.org.seed.ROLES` and
`MODULE_PERMISSIONS`: permissions, data scope, supervisory-only) and the demo organisation
(`kefu.demo.UNITS` and `PEOPLE`: who sits where with which roles) are read as data, and the rules of
SPEC §1 are applied to them:

- ORG-3: a role's permission reaches records under the nearest unit of the role's scope kind above
  the holder's own unit (team / department / subsidiary / group), or only the holder's own records
  (scope "own"). The group sees everything; the `admin` account is a superuser (group-wide).
- ORG-4: a supervisory-only role keeps only its "view" and "comment" permissions (督导权, no 行政权).
"""

from dataclasses import dataclass

from kefu.demo import PEOPLE, SUPERVISORS, UNITS
from kefu.org.permissions import CATALOGUE, SUPERVISORY_KINDS
from kefu.org.seed import MODULE_PERMISSIONS, ROLES

PARENT = {code: parent for code, _name, _kind, parent in UNITS}
UNIT_KIND = {code: kind for code, _name, kind, _parent in UNITS}
UNIT_NAME = {code: name for code, name, _kind, _parent in UNITS}


def chain(unit: str) -> list[str]:
    """The unit and its ancestors, nearest first."""
    found = []
    while unit is not None:
        found.append(unit)
        unit = PARENT[unit]
    return found


def under(unit: str, anchor: str) -> bool:
    return anchor in chain(unit)


def subsidiary_of(unit: str) -> str | None:
    return next((u for u in chain(unit) if UNIT_KIND[u] == "subsidiary"), None)


@dataclass(frozen=True)
class Role:
    code: str
    scope: str
    supervisory_only: bool
    permissions: frozenset


ROLE = {
    code: Role(code, scope, supervisory, frozenset(perms) | frozenset(MODULE_PERMISSIONS.get(code, [])))
    for code, _name, scope, supervisory, perms, _description in ROLES
}


@dataclass(frozen=True)
class Person:
    username: str
    name: str
    unit: str
    roles: tuple
    superuser: bool = False

    @property
    def supervisory_only(self) -> bool:
        """ORG-4: every role the person holds is supervisory-only (唐宁, 督导)."""
        return not self.superuser and all(ROLE[r].supervisory_only for r in self.roles)

    @property
    def subsidiary(self) -> str | None:
        return subsidiary_of(self.unit)


PEOPLE_BY_NAME = {
    username: Person(username, name, unit, tuple(roles))
    for username, name, _number, unit, _post, roles, _phone in PEOPLE
}
# The installation's own account: a superuser with an employee record in 集团办公室 and the admin role.
PEOPLE_BY_NAME["admin"] = Person("admin", "系统管理员", "hc-office", ("admin",), superuser=True)
USERS = sorted(PEOPLE_BY_NAME)
SUPERVISOR_OF = {who: tuple(bosses) for who, bosses in SUPERVISORS.items()}


@dataclass(frozen=True)
class Grant:
    scope: str
    anchor: str | None  # the unit whose subtree the grant reaches; None for "own"


def _anchor(unit: str, scope: str) -> str:
    return next((u for u in chain(unit) if UNIT_KIND[u] == scope), unit)


def grants(username: str, permission: str) -> list[Grant]:
    """ORG-3 / ORG-4: what `permission` reaches for this person."""
    person = PEOPLE_BY_NAME[username]
    if person.superuser:
        return [Grant("group", chain(person.unit)[-1])]
    found = []
    for code in person.roles:
        role = ROLE[code]
        if permission not in role.permissions:
            continue
        if role.supervisory_only and CATALOGUE[permission].kind not in SUPERVISORY_KINDS:
            continue  # ORG-4
        found.append(Grant(role.scope, None if role.scope == "own" else _anchor(person.unit, role.scope)))
    return found


def holds(username: str, permission: str) -> bool:
    return bool(grants(username, permission))


def covers(username: str, permission: str, *, unit: str | None, owner: str | None = None) -> bool:
    """Whether `permission` reaches a record at `unit` owned by `owner` (ORG-3)."""
    for grant in grants(username, permission):
        if grant.scope == "own":
            if owner is not None and owner == username:
                return True
        elif unit is not None and under(unit, grant.anchor):
            return True
    return False


def unit_covered(username: str, permission: str, unit: str) -> bool:
    """A unit (not a record) within reach: "own" grants never reach a unit."""
    return any(g.scope != "own" and under(unit, g.anchor) for g in grants(username, permission))
