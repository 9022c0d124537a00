"""The complaint-surge detector (EMG-5 "客户投诉量激增", seed 002; "客户投诉暴增", seed 003) and the
command centre's acknowledgement.

The worker sweeps every second (`emergency/jobs.py`): the cases received in the pack's window
(`emergency.surge_window`) are counted per subsidiary and family (投诉, 报修) from the cases'
`received_at` index. A count that reaches the threshold (`emergency.surge_threshold`) and the factor
(`emergency.surge_factor`) over the baseline — the average count of the same window on the
`emergency.surge_baseline_days` earlier days — raises a `Surge`: once per ongoing surge (a partial
unique constraint: two workers racing raise one), the counted cases linked, a decision record with
the numbers, and an alert at once by inbox and e-mail to the holders of `emergency.command` over the
subsidiary, repeated every `emergency.surge_alert_repeat` until someone acknowledges it. The surge
opens a draft incident (EMG-4, `incidents.open_from_surge`) in the same transaction; the alert links
it. Intake pays nothing: the detector only reads what intake wrote.
"""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse

from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, NotFound
from kefu.emergency.actions import incidents
from kefu.emergency.models import Surge, SurgeCase
from kefu.emergency.queries import surges as queries
from kefu.engine.notifications.api import notify, present
from kefu.engine.policy import api as policy
from kefu.org import access
from kefu.org.models import Unit

RULE = "EMG-5"
WINDOW = "emergency.surge_window"
THRESHOLD = "emergency.surge_threshold"
FACTOR = "emergency.surge_factor"
BASELINE_DAYS = "emergency.surge_baseline_days"
REPEAT = "emergency.surge_alert_repeat"
FAMILY_NAMES = {"complaint": ("投诉", "complaints"), "repair": ("报修", "repair requests")}
SYSTEM = Actor.system("emergency surge detector")


def sweep(now: datetime | None = None) -> int:
    """One round of the detector: raise new surges, end the ones that subsided, repeat due alerts.
    Returns how many surges were raised. Idempotent in effect; safe with several workers."""
    now = now or clock.now()
    raised = detect(now)
    repeat_due(now)
    return raised


def _rules(subsidiary: Unit, now: datetime) -> dict:
    return {
        key: policy.lookup(key, at=now, unit=subsidiary) for key in (WINDOW, THRESHOLD, FACTOR, BASELINE_DAYS)
    }


def detect(now: datetime) -> int:
    window = policy.lookup(WINDOW, at=now).duration()
    counts = queries.window_counts(now - window, now)
    ongoing = queries.ongoing()
    units = Unit.objects.in_bulk({sub for sub, _ in counts} | {sub for sub, _ in ongoing})
    raised = 0
    for (sub, family), surge in ongoing.items():
        if (sub, family) not in counts:
            _end(surge, now)
    for (sub, family), count in counts.items():
        subsidiary = units[sub]
        rules = _rules(subsidiary, now)
        own_window = rules[WINDOW].duration()
        if own_window != window:  # a subsidiary's own (stricter) window: its own count
            count = len(queries.window_cases(subsidiary, family, now - own_window, now))
        surge = ongoing.get((sub, family))
        if surge is not None:
            if count < max(surge.threshold, surge.factor * surge.baseline):
                _end(surge, now)
            elif count > surge.peak:
                Surge.objects.filter(pk=surge.pk, peak__lt=count).update(peak=count)
            continue
        if count < int(rules[THRESHOLD].value):
            continue
        days = int(rules[BASELINE_DAYS].value)
        earlier = queries.baseline_counts(subsidiary, family, now - own_window, now, days)
        baseline = (Decimal(sum(earlier)) / max(days, 1)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        if count < Decimal(rules[FACTOR].value) * baseline:
            continue
        raised += bool(_raise(subsidiary, family, count, baseline, rules, now, own_window))
    return raised


def _end(surge: Surge, now: datetime) -> None:
    Surge.objects.filter(pk=surge.pk, ended_at__isnull=True).update(ended_at=now)


def _raise(subsidiary: Unit, family: str, count: int, baseline: Decimal, rules: dict, now, window):
    start = now - window
    case_ids = queries.window_cases(subsidiary, family, start, now)
    factor = Decimal(rules[FACTOR].value)
    with transaction.atomic():
        try:
            with transaction.atomic():
                surge = Surge.objects.create(
                    unit=subsidiary,
                    family=family,
                    window_start=start,
                    window_end=now,
                    window_minutes=int(window.total_seconds() // 60),
                    count=len(case_ids) or count,
                    peak=len(case_ids) or count,
                    baseline=baseline,
                    baseline_days=int(rules[BASELINE_DAYS].value),
                    factor=factor,
                    threshold=int(rules[THRESHOLD].value),
                    threshold_case_id=case_ids[-1] if case_ids else None,
                    detected_at=now,
                )
        except IntegrityError:
            return None  # EMG-5: this surge is already ongoing (another worker raised it)
        SurgeCase.objects.bulk_create([SurgeCase(surge=surge, case_id=pk) for pk in case_ids])
        zh, en = FAMILY_NAMES.get(family, (family, family))
        minutes = surge.window_minutes
        decisions.record_from_entry(
            surge,
            rules[FACTOR],
            outcome=(
                f"{minutes} 分钟内{zh} {surge.count} 件，达到阈值 {surge.threshold} 件且不低于前 "
                f"{surge.baseline_days} 天同一时段平均 {baseline} 件的 {_plain(factor)} 倍：判定为激增"
                f" / {surge.count} {en} in {minutes} min: at least {surge.threshold} and {_plain(factor)} times "
                f"the average {baseline} of the same window on the {surge.baseline_days} earlier days: a surge"
            ),
            inputs={
                "surge_count": surge.count,
                "surge_baseline": str(baseline),
                "surge_window_from": start,
                "surge_window_to": now,
                "surge_family": family,
                "surge_earlier_days": surge.baseline_days,
                WINDOW: decisions.applied_text(rules[WINDOW]),
                THRESHOLD: decisions.applied_text(rules[THRESHOLD]),
                BASELINE_DAYS: decisions.applied_text(rules[BASELINE_DAYS]),
            },
        )
        audit.record(
            SYSTEM,
            "emergency.surge_detected",
            surge,
            after={"unit": subsidiary.pk, "family": family, "count": surge.count, "baseline": str(baseline)},
        )
        incidents.open_from_surge(surge, now)  # EMG-4: the draft incident, in the same transaction
        _alert(surge, now)
    return surge


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _alert(surge: Surge, now: datetime) -> None:
    """The command centre is told at once by inbox, e-mail and text (where the SMS gateway is configured,
    issue 17); the next reminder is scheduled."""
    repeat = policy.lookup(REPEAT, at=now, unit=surge.unit)
    zh, en = FAMILY_NAMES.get(surge.family, (surge.family, surge.family))
    surge.alerts += 1
    notify(
        queries.command_holders(surge.unit),
        "emergency.surge_alert",
        {
            "subsidiary": surge.unit.name,
            "family_zh": zh,
            "family_en": en,
            "count": surge.count,
            "minutes": surge.window_minutes,
            "baseline": surge.baseline,
            "factor": _plain(surge.factor),
            "nth": surge.alerts,
            "detected_at": surge.detected_at,
        },
        obj=surge,
        link=reverse("emergency:incident", args=[surge.incident_id])
        if surge.incident_id
        else reverse("emergency:surge", args=[surge.pk]),
        channels=present("inbox", "email", "sms"),
    )
    surge.last_alert_at = now
    surge.next_alert_at = now + repeat.duration()
    surge.save(update_fields=["alerts", "last_alert_at", "next_alert_at"])


def repeat_due(now: datetime) -> int:
    """EMG-5: an unacknowledged alert is repeated each `emergency.surge_alert_repeat` — once per due
    time, whichever worker takes the row first (the others skip the locked row)."""
    repeated = 0
    for pk in queries.due_alert_ids(now):
        with transaction.atomic():
            surge = (
                Surge.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("unit")
                .filter(pk=pk, next_alert_at__lte=now, acknowledged_at__isnull=True)
                .first()
            )
            if surge is None:
                continue
            _alert(surge, now)
            repeated += 1
    return repeated


def acknowledge(actor: Actor, surge: Surge) -> Surge:
    """The command centre acknowledges the alert: the reminders stop (EMG-5)."""
    if not access.write_in_scope(actor, queries.COMMAND, unit=surge.unit, owner_id=None):
        raise NotFound("激增告警", "surge alert")
    with transaction.atomic():
        locked = Surge.objects.select_for_update(of=("self",)).select_related("unit").get(pk=surge.pk)
        if locked.acknowledged_at is not None:
            raise Conflict(
                "surge_already_acknowledged",
                "该激增告警已有人确认",
                "This surge alert was already acknowledged",
            )
        now = clock.now()
        locked.acknowledged_at = now
        locked.acknowledged_by = actor.user
        locked.next_alert_at = None
        locked.save(update_fields=["acknowledged_at", "acknowledged_by", "next_alert_at"])
        audit.record(
            actor, "emergency.surge_acknowledged", locked, after={"acknowledged_at": now.isoformat()}
        )
    return locked
