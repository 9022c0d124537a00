"""Request and response models of the organisation API (ORG-1…ORG-6)."""

from datetime import date, datetime
from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, Field

from kefu.core import clock
from kefu.core.crypto import mask_phone
from kefu.core.http_support import PatchSchema, StrictSchema
from kefu.org.models import DelegationState, EmploymentStatus, EmploymentType, Scope, SiteKind, UnitKind


def _email(value: str) -> str:
    value = value.strip()
    if value:
        try:
            validate_email(value)
        except DjangoValidationError as exc:
            raise ValueError("not a valid e-mail address") from exc
    return value


LIST_MAX = 100  # ids or permission codes in one request

Slug = Annotated[str, Field(min_length=1, max_length=50, pattern=r"^[-a-zA-Z0-9_]+$")]
Name = Annotated[str, Field(min_length=1, max_length=50)]
Email = Annotated[str, Field(max_length=254), AfterValidator(_email)]
Phone = Annotated[str, Field(max_length=30, pattern=r"^[0-9+\- ()]*$")]


# ---- references embedded in other answers ---------------------------------------------------


class UnitRef(Schema):
    id: int
    kind: str
    name: str
    code: str


class SiteRef(Schema):
    id: int
    name: str


class PostOut(Schema):
    id: int
    code: str
    name: str


class EmployeeRef(Schema):
    id: int
    number: str
    name: str


class RoleRef(Schema):
    id: int
    code: str
    name: str


# ---- units (ORG-1) -------------------------------------------------------------------------


class UnitOut(Schema):
    id: int
    kind: str
    name: str
    code: str
    parent_id: int | None
    path: str
    depth: int
    is_active: bool


class UnitIn(StrictSchema):
    kind: UnitKind
    name: Annotated[str, Field(min_length=1, max_length=100)]
    code: Slug
    parent_id: int | None = None


class UnitPatch(PatchSchema):
    """Only the fields sent are changed; `parent_id: null` moves a unit to the top (a group only)."""

    nullable = frozenset({"parent_id"})

    name: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    code: Slug | None = None
    parent_id: int | None = None
    is_active: bool | None = None


# ---- sites (ORG-1) -------------------------------------------------------------------------


class SiteOut(Schema):
    id: int
    name: str
    kind: str
    unit: UnitRef
    address: str


class SiteIn(StrictSchema):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    kind: SiteKind
    unit_id: int
    address: Annotated[str, Field(max_length=255)] = ""


class SitePatch(PatchSchema):
    name: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    kind: SiteKind | None = None
    unit_id: int | None = None
    address: Annotated[str, Field(max_length=255)] | None = None


# ---- employees (ORG-2, ORG-6) --------------------------------------------------------------


class EmployeeOut(Schema):
    id: int
    username: str
    number: str
    name: str
    unit: UnitRef
    post: PostOut
    site: SiteRef | None
    employment_type: str
    confirmed_on: date | None
    is_confirmed: bool
    status: str
    phone: str = Field(description="Masked (SEC-2): 138****1234")
    email: str

    @staticmethod
    def resolve_username(obj) -> str:
        return obj.user.get_username()

    @staticmethod
    def resolve_phone(obj) -> str:
        return mask_phone(obj.phone) if obj.phone else ""


class EmployeeDetail(EmployeeOut):
    supervisors: list[EmployeeRef]
    roles: list[RoleRef]

    @staticmethod
    def resolve_supervisors(obj):
        return list(obj.supervisors.all())

    @staticmethod
    def resolve_roles(obj):
        return [a.role for a in obj.role_assignments.select_related("role").order_by("role_id")]


class EmployeeCreated(EmployeeDetail):
    initial_password: str | None = Field(
        None, description="The generated initial password, shown only here; null when one was given"
    )


class EmployeeIn(StrictSchema):
    username: Annotated[str, Field(min_length=1, max_length=150, pattern=r"^[\w.@+-]+$")]
    name: Name
    number: Annotated[str, Field(min_length=1, max_length=30)]
    unit_id: int
    post_id: int
    password: Annotated[str, Field(max_length=128)] = Field(
        "", description="Leave empty to generate one (answered once as initial_password)"
    )
    site_id: int | None = None
    employment_type: EmploymentType = EmploymentType.REGULAR
    confirmed_on: date | None = None
    phone: Phone = ""
    email: Email = ""
    supervisor_ids: list[int] = Field(default_factory=list, max_length=LIST_MAX)


class EmployeePatch(PatchSchema):
    """Only the fields sent are changed. `status: "left"` closes the personal account (ORG-6)."""

    nullable = frozenset({"site_id", "confirmed_on"})

    name: Name | None = None
    number: Annotated[str, Field(min_length=1, max_length=30)] | None = None
    unit_id: int | None = None
    post_id: int | None = None
    site_id: int | None = None
    employment_type: EmploymentType | None = None
    confirmed_on: date | None = None
    status: EmploymentStatus | None = None
    phone: Phone | None = None
    email: Email | None = None
    supervisor_ids: Annotated[list[int], Field(max_length=LIST_MAX)] | None = None


class RolesIn(StrictSchema):
    role_ids: list[int] = Field(max_length=LIST_MAX)


# ---- roles (ORG-3, ORG-4) ------------------------------------------------------------------


class RoleOut(Schema):
    id: int
    code: str
    name: str
    description: str
    permissions: list[str]
    scope: str
    supervisory_only: bool
    builtin: bool


class RoleIn(StrictSchema):
    code: Slug
    name: Name
    description: Annotated[str, Field(max_length=255)] = ""
    permissions: list[str] = Field(max_length=LIST_MAX)
    scope: Scope
    supervisory_only: bool = False


class RolePatch(PatchSchema):
    code: Slug | None = None
    name: Name | None = None
    description: Annotated[str, Field(max_length=255)] | None = None
    permissions: Annotated[list[str], Field(max_length=LIST_MAX)] | None = None
    scope: Scope | None = None
    supervisory_only: bool | None = None


class PermissionOut(Schema):
    code: str
    kind: str = Field(description="view / comment / act / approve; ORG-4 keeps only view and comment")
    zh: str
    en: str


# ---- delegations (ORG-5) -------------------------------------------------------------------


class DelegationOut(Schema):
    """`state` (ORG-5): `approved` when the delegator made it or approved it (or their superior did);
    `pending` while a delegation registered by someone else awaits that approval; `rejected`/`returned`.
    `in_force`: approved, not revoked, and now within the period."""

    id: int
    delegator: EmployeeRef
    delegate: EmployeeRef
    permissions: list[str]
    starts_at: datetime
    ends_at: datetime
    reason: str
    created_at: datetime
    revoked_at: datetime | None
    state: DelegationState
    registered_by: str | None
    in_force: bool

    @staticmethod
    def resolve_registered_by(obj) -> str | None:
        return obj.registered_by.get_username() if obj.registered_by_id else None

    @staticmethod
    def resolve_in_force(obj) -> bool:
        return obj.is_active_at(clock.now())


class DelegationIn(StrictSchema):
    """Omit `delegator_id` to delegate your own authority; `starts_at` defaults to now."""

    delegator_id: int | None = None
    delegate_id: int
    permissions: list[str] = Field(max_length=LIST_MAX)
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime
    reason: Annotated[str, Field(min_length=1, max_length=255)]
