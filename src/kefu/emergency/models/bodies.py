"""Emergency bodies (EMG-2): bodies made from templates (领导小组, 指挥中心, 处置组, 联络员, 应急专员 and
the site variants) at a subsidiary or a site, each role slot bound to a holder and a deputy."""

from django.db import models


class BodyKind(models.TextChoices):
    LEADERSHIP = "leadership", "应急领导小组"
    COMMAND = "command", "应急指挥中心"
    HANDLING = "handling", "应急处置小组"
    LIAISON = "liaison", "应急联络员"
    SPECIALIST = "specialist", "紧急情况处置专员"
    SITE_LEADERSHIP = "site_leadership", "案场应急领导小组"
    SITE_TEAM = "site_team", "客服应急小组"


class Body(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=BodyKind.choices)
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "kind"], name="emergency_body_once")]

    def __str__(self) -> str:
        return self.name


class Slot(models.Model):
    """A role slot of a body: its key (kind.code, what plans name), title, the post the seed gives,
    the holder and the deputy."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="slots")
    key = models.CharField(max_length=60)
    title = models.CharField(max_length=50)
    post_hint = models.CharField(max_length=100, blank=True)
    position = models.PositiveIntegerField()
    holder = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deputy = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "key"], name="emergency_slot_once")]
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.body} {self.title}"
