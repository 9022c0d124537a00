"""KPI-1 facts: what each case contributes to the KPIs (`CaseFact`), their sums per day × unit ×
employee (`DailyFact`) and how far the worker has read the change feed (`FactCursor`).

The KPIs are read from `DailyFact` only (a month is ~30 rows per agent, whatever the number of
cases). The worker keeps them (`insights.actions.kpis.sweep`): it reads the sealed audit chain
(`AuditEvent.seq`, gapless and in commit order) after the cursor, and for every case an event
touched replaces the case's old contribution with the new one — in one transaction with the cursor.
The case write path pays nothing: the audit row it already writes is the change record.
"""

from django.db import models


class CaseFact(models.Model):
    """One case's contribution, by the days it counts on. A case counts for its current unit and owner."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", db_index=False)
    owner = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # received: 受理量, complaints, resolution
    received_day = models.DateField()
    external = models.BooleanField(default=True, help_text="from a customer (not an internal report)")
    complaint = models.BooleanField(default=False)
    resolved = models.BooleanField(default=False)
    category = models.CharField(max_length=100, blank=True, help_text="Case.category (CASE-7)")
    # went up the case's escalation chain, or is major (insights.actions.kpis.facts_for); counted on
    # the receipt day
    escalated = models.BooleanField(default=False)
    # the first answer to the customer
    responded_day = models.DateField(null=True, blank=True)
    response_minutes = models.IntegerField(default=0)
    # closure: on time, reopened, bounced, revisited, SLA clocks
    closed_day = models.DateField(null=True, blank=True)
    on_time = models.BooleanField(default=False)
    reopened = models.BooleanField(default=False)
    bounced = models.BooleanField(default=False)
    revisit_planned = models.BooleanField(default=False)
    revisited = models.BooleanField(default=False)
    sla_met = models.IntegerField(default=0)
    sla_total = models.IntegerField(default=0)
    # the customer's current survey answer (followups.queries.satisfaction.rate)
    answered_day = models.DateField(null=True, blank=True)
    answered = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["received_day", "case"], name="kpi_fact_received"),
            models.Index(fields=["closed_day", "case"], name="kpi_fact_closed"),
            models.Index(fields=["responded_day", "case"], name="kpi_fact_responded"),
            models.Index(fields=["answered_day", "case"], name="kpi_fact_answered"),
            # 本月: complaints received in a month by category — only complaints are in the index
            models.Index(
                fields=["received_day", "category", "unit"],
                condition=models.Q(complaint=True),
                name="kpi_fact_complaint_category",
            ),
        ]

    def __str__(self):
        return f"case {self.case_id}"


class DailyFact(models.Model):
    """The sums of the case facts of one day, unit and employee (None: cases with no owner)."""

    day = models.DateField()
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", db_index=False)
    employee = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    received = models.IntegerField(default=0)
    received_external = models.IntegerField(default=0)
    complaints = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    responded = models.IntegerField(default=0)
    response_minutes = models.BigIntegerField(default=0)
    closed = models.IntegerField(default=0)
    closed_on_time = models.IntegerField(default=0)
    reopened = models.IntegerField(default=0)
    bounced = models.IntegerField(default=0)
    revisit_planned = models.IntegerField(default=0)
    revisited = models.IntegerField(default=0)
    sla_met = models.IntegerField(default=0)
    sla_total = models.IntegerField(default=0)
    answered = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    escalations = models.IntegerField(default=0)  # cases received that day that escalated

    class Meta:
        indexes = [
            models.Index(fields=["day", "unit", "employee"], name="kpi_daily_key"),
            models.Index(fields=["employee", "day"], name="kpi_daily_employee"),
        ]

    def __str__(self):
        return f"{self.day} · {self.unit_id} · {self.employee_id}"


COUNTERS = tuple(
    f.name for f in DailyFact._meta.local_fields if isinstance(f, models.IntegerField) and f.name != "id"
)


class FactCursor(models.Model):
    """How far the KPI sweep has read the sealed audit chain (one row, name="kpi"); locked only by
    the sweeper, with SKIP LOCKED: a second worker skips the round instead of waiting."""

    name = models.CharField(max_length=30, unique=True)
    seq = models.BigIntegerField(default=0)
    rebuilt_at = models.DateTimeField(null=True, blank=True)
    swept_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.name} @ {self.seq}"
