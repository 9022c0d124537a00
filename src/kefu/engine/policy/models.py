"""Policy pack tables (POL-1, POL-2): immutable versions of the whole pack, and subsidiary overrides.

A version is never edited: changing a value creates the next version (a full copy with the change),
effective from a date. Records are judged by the version in force when they were created.
"""

from django.conf import settings
from django.db import models


class PolicyVersion(models.Model):
    number = models.PositiveIntegerField(unique=True)
    effective_from = models.DateTimeField(db_index=True)
    loaded_at = models.DateTimeField()
    source = models.CharField(max_length=200, help_text="default.yaml sha256 … / edit of KEY by USER")
    file_sha256 = models.CharField(
        max_length=64, blank=True, help_text="sha256 of the pack file it came from"
    )
    digest = models.CharField(max_length=64, help_text="fingerprint of the content (cache key)")
    note = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-number"]

    def __str__(self):
        return f"v{self.number}"


class PolicyEntry(models.Model):
    """One number of one version, with its rule, clause and source."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="entries")
    key = models.CharField(max_length=100)
    rule = models.CharField(max_length=20, db_index=True)
    related_rules = models.JSONField(default=list, blank=True)
    module = models.CharField(max_length=30, db_index=True)
    name_zh = models.CharField(max_length=100)
    name_en = models.CharField(max_length=200)
    value = models.DecimalField(max_digits=16, decimal_places=4)
    unit = models.CharField(max_length=30)
    kind = models.CharField(max_length=20)
    calendar = models.CharField(max_length=30, blank=True)
    stricter = models.CharField(max_length=6)
    clause = models.TextField(blank=True)
    source_seed = models.CharField(max_length=10, blank=True)
    source_document = models.CharField(max_length=200, blank=True)
    default_not_from_seeds = models.BooleanField(default=False)
    edited = models.BooleanField(default=False, help_text="value set by an administrator, not by the file")

    class Meta:
        ordering = ["module", "key"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="policy_entry_unique_key")]

    def __str__(self):
        return f"{self.key}={self.value} (v{self.version.number})"


class PolicyOverride(models.Model):
    """A subsidiary's own value for one key, from a date; only ever stricter than the group (POL-2)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="policy_overrides")
    key = models.CharField(max_length=100)
    value = models.DecimalField(max_digits=16, decimal_places=4)
    effective_from = models.DateTimeField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=500)

    class Meta:
        ordering = ["unit_id", "key", "-effective_from", "-id"]
        indexes = [models.Index(fields=["unit", "key", "effective_from"])]

    def __str__(self):
        return f"{self.unit}: {self.key}={self.value}"
