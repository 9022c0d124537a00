"""Around the rota (WFM-1): staff comments in the feedback round, change and swap requests approved by
the 排班管理员 or the team lead, and each person's calendar feed (.ics) whose token is stored hashed."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RotaComment(models.Model):
    rota = models.ForeignKey("workforce.Rota", on_delete=models.CASCADE, related_name="comments")
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=1000)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.employee} {self.created_at:%Y-%m-%d %H:%M}"


class ChangeKind(models.TextChoices):
    SWAP = "swap", _("Swap with a colleague")
    HANDOFF = "handoff", _("Give the shift to a colleague")


class ChangeState(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ShiftChange(models.Model):
    """A change request: `shift` (the requester's) goes to `colleague`; for a swap, `their_shift`
    (the colleague's) comes back to the requester."""

    kind = models.CharField(max_length=10, choices=ChangeKind.choices)
    state = models.CharField(max_length=10, choices=ChangeState.choices, default=ChangeState.PENDING)
    shift = models.ForeignKey("workforce.RotaShift", on_delete=models.CASCADE, related_name="+")
    their_shift = models.ForeignKey(
        "workforce.RotaShift", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    requester = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    colleague = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "created_at"], name="workforce_change_state")]

    def __str__(self) -> str:
        return f"{self.requester} → {self.colleague}"


class CalendarFeed(models.Model):
    employee = models.OneToOneField("org.Employee", on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.employee}"
