"""The days greetings are due (CARE-1), the daily schedule `followups.care_greetings`: a festival
campaign starts on the first day of its window (`care.greeting_days_before_max` days before the day),
a birthday campaign greets each day the customers whose birthday falls in the window (once a year: one
campaign per year), and once a greeting's day has come it gets its verdict — on time (sent or called
before the day `care.greeting_days_before_min` days ahead ends), late, or missed. A late or missed
greeting is flagged: a decision record, the campaign's page, and its owner told; a festival campaign
is then done. The greetings themselves are written by `actions.greetings`.
"""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q

from kefu.core import audit, clock, decisions
from kefu.customers.models import Customer
from kefu.engine.notifications.api import notify
from kefu.engine.policy import api as policy
from kefu.followups.actions.greetings import BIRTHDAY, MAX, MIN, WORKER, begin, deadline, deliver, window
from kefu.followups.models import DeliveryState, GreetingCampaign, GreetingDelivery, GreetingState, Verdict
from kefu.followups.queries import audiences

# ---- birthdays ----------------------------------------------------------------------------------


def _birthday_in(day: date, year: int) -> date | None:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a common year: greeted for the 28th
        return date(year, 2, 28)


def birthdays(campaign: GreetingCampaign, today: date) -> int:
    """Greet the campaign's customers whose birthday falls in the window (1–3 days from `today`) and
    who have no greeting of this campaign yet (once a year: one campaign per year)."""
    first, last = (
        today + timedelta(days=int(policy.lookup(MIN, unit=campaign.unit).value)),
        today + timedelta(days=int(policy.lookup(MAX, unit=campaign.unit).value)),
    )
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    days = [d for d in days if d.year == campaign.year]
    if not days:
        return 0
    match = Q()
    for d in days:
        match |= Q(birthday__month=d.month, birthday__day=d.day)
        if d.month == 2 and d.day == 28 and not _leap(d.year):
            match |= Q(birthday__month=2, birthday__day=29)
    greeted = GreetingDelivery.objects.filter(campaign=campaign).values("customer_id")
    customers = (
        audiences.matching(campaign.unit, campaign.audience, seed=campaign.seed)
        .filter(match)
        .exclude(pk__in=greeted)
    )
    total, after = 0, 0
    while True:
        keys = list(customers.filter(pk__gt=after).values_list("pk", flat=True)[: audiences.BATCH])
        if not keys:
            return total
        with transaction.atomic():
            locked = (
                GreetingCampaign.objects.select_for_update(of=("self",))
                .filter(pk=campaign.pk, state=GreetingState.RUNNING)
                .first()
            )
            if locked is None:
                return total
            keys = list(  # a second runner greeted some meanwhile: never twice
                Customer.objects.filter(pk__in=keys).exclude(pk__in=greeted).values_list("pk", flat=True)
            )
            now = clock.now()
            done = deliver(
                campaign, keys, lambda customer: _birthday_in(customer.birthday, campaign.year), now
            )
            audit.record(WORKER, "followups.greetings.birthdays", campaign, after={"greetings": done})
        total, after = total + done, max(keys, default=after)
        if not keys:
            return total


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


# ---- the daily schedule: start, birthdays, verdicts ----------------------------------------------


def _verdicts(campaign: GreetingCampaign, today: date) -> int:
    """The verdict of each greeting whose day has come; returns how many were late or missed."""
    flagged = 0
    due = GreetingDelivery.objects.filter(campaign=campaign, verdict=Verdict.PENDING, occasion_on__lte=today)
    for day in sorted(set(due.values_list("occasion_on", flat=True))):
        limit = deadline(day, campaign.unit)
        of_day = due.filter(occasion_on=day)
        of_day.filter(
            Q(state=DeliveryState.QUEUED, message__sent_at__lt=limit)
            | Q(state=DeliveryState.DONE, done_at__lt=limit)
        ).update(verdict=Verdict.ON_TIME)
        late = of_day.filter(
            Q(state=DeliveryState.QUEUED, message__sent_at__gte=limit)
            | Q(state=DeliveryState.DONE, done_at__gte=limit)
        ).update(verdict=Verdict.LATE)
        missed = due.filter(occasion_on=day, verdict=Verdict.PENDING).update(verdict=Verdict.MISSED)
        if late or missed:
            flagged += late + missed
            _flag(campaign, day, late=late, missed=missed)
    return flagged


def _flag(campaign: GreetingCampaign, day: date, *, late: int, missed: int, unreached: int = 0) -> None:
    """A late or missed greeting (CARE-1): a decision record on the campaign and its owner told."""
    entry = policy.lookup(MIN, unit=campaign.unit)
    outcome = f"{day:%Y-%m-%d}的慰问：{late} 条迟于节日前1日送达，{missed} 条未送达"
    if unreached:
        outcome += f"；{unreached} 位客户到节日仍未慰问（发送未完成）"
    decisions.record_from_entry(
        campaign,
        entry,
        outcome=outcome,
        inputs={
            "care_occasion": campaign.occasion,
            "greetings_late": late,
            "greetings_missed": missed + unreached,
        },
    )
    notify(
        [campaign.owner.user],
        "care.greetings_late",
        {"campaign": campaign.title, "day": f"{day:%Y-%m-%d}", "late": late, "missed": missed + unreached},
        obj=campaign,
        link=f"/care/greetings/{campaign.pk}/",
    )


def _unreached(campaign: GreetingCampaign) -> int:
    """Customers the festival campaign's batches had not reached when the day came: missed too."""
    if not campaign.occasion_on or campaign.finished_at is not None:
        return 0
    customers = audiences.matching(campaign.unit, campaign.audience, seed=campaign.seed)
    return customers.filter(pk__gt=campaign.checkpoint).count()


def daily(run_=None) -> dict:
    """The daily schedule `followups.care_greetings` (WF-5): start the festival campaigns whose window
    opens (and the birthday campaigns of the year), greet the birthdays in the window, and give the
    greetings whose day has come their verdict (late or missed ones flagged)."""
    today, now = clock.today(), clock.now()
    started = greeted = flagged = 0
    for campaign in GreetingCampaign.objects.filter(state=GreetingState.PLANNED).select_related("unit"):
        if campaign.occasion_on:
            first, _ = window(campaign.occasion_on, campaign.unit)
            if not first <= today < campaign.occasion_on:
                continue
        elif campaign.year != today.year:
            continue
        with transaction.atomic():
            locked = GreetingCampaign.objects.select_for_update(of=("self",)).filter(
                pk=campaign.pk, state=GreetingState.PLANNED
            )
            if locked.exists():
                begin(WORKER, campaign, now)
                started += 1
    running = GreetingCampaign.objects.filter(state=GreetingState.RUNNING).select_related(
        "unit", "owner__user"
    )
    for campaign in running:
        if campaign.occasion == BIRTHDAY and campaign.year == today.year:
            greeted += birthdays(campaign, today)
        with transaction.atomic():
            flagged += _verdicts(campaign, today)
            over = (campaign.occasion_on and campaign.occasion_on <= today) or (
                campaign.occasion == BIRTHDAY and campaign.year < today.year
            )
            unreached = _unreached(campaign) if over else 0
            if unreached:  # the day came before the batches finished: those customers were missed
                flagged += unreached
                _flag(campaign, campaign.occasion_on, late=0, missed=0, unreached=unreached)
            if over and GreetingCampaign.objects.filter(pk=campaign.pk, state=GreetingState.RUNNING).update(
                state=GreetingState.DONE, finished_at=campaign.finished_at or now
            ):
                audit.record(
                    WORKER, "followups.greetings.done", campaign, after={"state": GreetingState.DONE}
                )
    return {"started": started, "greeted": greeted, "flagged": flagged}
