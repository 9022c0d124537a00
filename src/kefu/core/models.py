"""Shared kernel tables: the hash-chained audit log, API tokens, worker heartbeats."""

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One audited write or sensitive read. Append-only; `hash` chains each row to the previous one (SEC-6).

    `record()` inserts the row unsealed (no `seq`, empty hashes) inside the writer's transaction; the
    sealer (`audit.seal_pending`) gives committed rows their place in the chain — `seq`, `prev_hash` and
    the keyed `hash` — in batches, later. Sealed order is `seq` order; display order is `id` (insertion).
    """

    seq = models.BigIntegerField(
        unique=True, null=True, blank=True, help_text="position in the chain, set by the sealer"
    )
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    on_behalf_of = models.CharField(max_length=150, blank=True, help_text="delegator when acting for someone")
    action = models.CharField(max_length=100, db_index=True)
    # searched together through audit_object_history (below): no single-column indexes, which every
    # write of the product would also fill (issue 11)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    origin = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True, default="")
    hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "id"], name="audit_object_history"),
            # the sealer's work list: small, because the sealer keeps it short
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="audit_unsealed"),
        ]

    def __str__(self):
        return (
            f"#{self.seq if self.seq is not None else '—'} {self.action} {self.object_type}:{self.object_id}"
        )


class AuditChainHead(models.Model):
    """How far the sealer got: the last sealed row's seq and hash (SEC-6).

    Locked only by the sealer (`audit.seal_pending`, SKIP LOCKED: a second sealer finds it taken and
    leaves), never inside a request's transaction, so that the chain grows one sealer at a time while
    writers never wait for each other.
    """

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self):
        return f"audit head #{self.last_seq}"


class ApiToken(models.Model):
    """A personal API token (SEC-6/ORG-6: tokens belong to one person). Only a hash of the secret is kept.

    Every token expires (SEC-10: at most the pack's security.token_lifetime after it was made).
    `last_used_at` is refreshed at most once per settings.KEFU_TOKEN_TOUCH_MINUTES, not on every request.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class WorkerHeartbeat(models.Model):
    """Last sign of life of each worker process, shown by /healthz."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=200)
    pid = models.IntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()

    def __str__(self):
        return f"{self.worker_id} @ {self.hostname}"


class Decision(models.Model):
    """Why an automated outcome happened (POL-3): the rule, the policy version, the inputs and the clause.

    Attached to any record by content type + id; shown on the record's page under "为什么 / why".
    """

    # indexed through decision_object_idx and decision_rule_idx (no LIKE index: rules are matched whole)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    object_id = models.CharField(max_length=64)
    rule = models.CharField(max_length=20)
    outcome = models.CharField(max_length=300)
    inputs = models.JSONField(default=dict, blank=True)
    policy_version = models.PositiveIntegerField(null=True, blank=True)
    clause = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True, help_text="seed and document of the clause")
    made_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["made_at", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="decision_object_idx"),
            models.Index(fields=["rule"], name="decision_rule_idx"),
        ]

    def __str__(self):
        return f"{self.rule}: {self.outcome}"


class ConfigGeneration(models.Model):
    """One row whose token changes with every write of configuration — the policy pack, calendars, the
    org tree and roles, case kinds and skill groups (`kefu.core.actions.track_configuration`). A process keeps what it
    read of them for as long as the token stays the same: a request reads the token, not the nine
    rows it stands for (issue 11). A random token, not a counter: a rolled-back write never brings
    back a token some process has cached other data under."""

    token = models.CharField(max_length=32)

    def __str__(self):
        return self.token
