"""Organisation (ORG-1…ORG-6): the unit tree, sites, posts, employees, roles and delegations."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.crypto import EncryptedTextField
from kefu.org.permissions import CATALOGUE


class UnitKind(models.TextChoices):
    GROUP = "group", _("Group")
    SUBSIDIARY = "subsidiary", _("Subsidiary")
    DEPARTMENT = "department", _("Department")
    TEAM = "team", _("Team")


class Unit(models.Model):
    """A node of the tree group → subsidiary → department → team (ORG-1).

    `path` holds the ids from the root ("/1/4/9/") so that "this unit and everything below" is one
    indexed prefix match — the basis of every data scope.
    """

    kind = models.CharField(max_length=20, choices=UnitKind.choices)
    name = models.CharField(max_length=100)
    code = models.SlugField(max_length=50, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unit_unique_name_per_parent"),
        ]

    def __str__(self):
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/") if p]


class SiteKind(models.TextChoices):
    SHOWROOM = "showroom", _("Showroom (案场)")
    SALES_CENTRE = "sales_centre", _("Sales centre")
    STORE = "store", _("Store")
    SERVICE_HALL = "service_hall", _("Service hall")


class Site(models.Model):
    """A physical place where service happens: 案场 / 销售中心 / 门店 / 营业厅 (ORG-1)."""

    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=SiteKind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="sites")
    address = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["unit__path", "name"]

    def __str__(self):
        return self.name


class Post(models.Model):
    """A job post 岗位 (ORG-2)."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=50, unique=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name


class EmploymentType(models.TextChoices):
    REGULAR = "regular", _("Regular (正式)")
    TEMPORARY = "temporary", _("Temporary (临时)")
    PROBATION = "probation", _("Probation (试用)")


class EmploymentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    LEFT = "left", _("Left")


class Employee(models.Model):
    """A person with a personal account (ORG-6), a post and a place in the tree (ORG-2)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="employee")
    number = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=50)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="employees")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="employees")
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.SET_NULL, related_name="employees")
    supervisors = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="reports")
    employment_type = models.CharField(
        max_length=20, choices=EmploymentType.choices, default=EmploymentType.REGULAR
    )
    confirmed_on = models.DateField(null=True, blank=True, help_text="转正 date")
    status = models.CharField(
        max_length=20, choices=EmploymentStatus.choices, default=EmploymentStatus.ACTIVE
    )
    phone = EncryptedTextField(blank=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["unit__path", "number"]

    def __str__(self):
        return self.name

    @property
    def is_confirmed(self) -> bool:
        """转正: a regular employee with a confirmation date."""
        return self.employment_type == EmploymentType.REGULAR and self.confirmed_on is not None


class Scope(models.TextChoices):
    """Data scope of a role, from narrowest to widest (ORG-3)."""

    OWN = "own", _("Own records")
    TEAM = "team", _("Team")
    DEPARTMENT = "department", _("Department")
    SUBSIDIARY = "subsidiary", _("Subsidiary")
    GROUP = "group", _("Whole group")


SCOPE_ORDER = [Scope.OWN, Scope.TEAM, Scope.DEPARTMENT, Scope.SUBSIDIARY, Scope.GROUP]


class Role(models.Model):
    """Permissions plus a data scope (ORG-3); supervisory-only roles may view and comment only (ORG-4)."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=50, unique=True)
    description = models.CharField(max_length=255, blank=True)
    permissions = models.JSONField(default=list, blank=True)
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.OWN)
    supervisory_only = models.BooleanField(default=False)
    builtin = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name


class RoleAssignment(models.Model):
    """An employee holds a role; `unit` optionally anchors the scope elsewhere than the employee's unit."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="assignments")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["employee", "role"], name="one_assignment_per_role")]

    def __str__(self):
        return f"{self.employee} · {self.role}"


class DelegationState(models.TextChoices):
    """ORG-5: a delegation the delegator made is approved at once; one registered for them by someone
    else waits for the delegator's (or their superior's) approval."""

    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned")


class Delegation(models.Model):
    """Acting-for (ORG-5): the delegate may use the listed permissions of the delegator within a period,
    once approved."""

    delegator = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="delegations_given")
    delegate = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="delegations_received")
    permissions = models.JSONField(default=list)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=255)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=20, choices=DelegationState.choices, default=DelegationState.PENDING)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="delegation_period_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(delegator=models.F("delegate")), name="delegation_not_to_self"
            ),
        ]

    def __str__(self):
        return f"{self.delegator} → {self.delegate}"

    @property
    def permissions_zh(self) -> str:
        """The delegated permissions by their Chinese names (for messages and pages)."""
        return "、".join(CATALOGUE[c].zh if c in CATALOGUE else c for c in self.permissions)

    @property
    def permissions_en(self) -> str:
        return ", ".join(CATALOGUE[c].en if c in CATALOGUE else c for c in self.permissions)

    def is_active_at(self, at) -> bool:
        return (
            self.state == DelegationState.APPROVED
            and self.revoked_at is None
            and self.starts_at <= at < self.ends_at
        )
