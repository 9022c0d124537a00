"""Response levels (EMG-3): configurable per subsidiary; without a configuration the system's default
four levels Ⅰ–Ⅳ apply (本系统默认值 — the seeds give none)."""

from django.db import models


class Level(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=10)
    name = models.CharField(max_length=50)
    position = models.PositiveIntegerField()
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="emergency_level_once")]
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name
