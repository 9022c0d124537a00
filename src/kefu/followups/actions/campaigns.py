"""Revisit campaigns (FUP-1): a named revisit drive of a subsidiary for a period. The customers are
chosen by an audience rule (`queries.audiences`, the one reading of "who" every campaign shares);
launching opens one revisit task each, assigned to the 回访组 by load (`tasks.open_many`), due by the
end of the campaign's last day. The launch streams the audience in key-set batches, a transaction per batch, and
keeps a checkpoint: a launch stopped midway continues where it stopped, and the database refuses a
second task for the same campaign and customer."""

import calendar
import re
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef

from kefu.cases.models import Case
from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, NotFound
from kefu.customers.models import Customer
from kefu.engine.policy import api as policy
from kefu.followups.actions.tasks import BATCH, officers_by_load, open_many
from kefu.followups.models import CampaignState, RevisitCampaign, RevisitTask, TaskState
from kefu.followups.queries import audiences
from kefu.org import access
from kefu.org.models import Unit

CONFIGURE = "revisit.configure"
EVERY_MONTHS = (1, 3, 6, 12)
PERIOD_SUFFIX = re.compile(r"·\d{4}-\d{2}$")


def _subsidiary(actor: Actor, unit: Unit) -> Unit:
    found = policy.subsidiary_of(unit)
    if found is None or not access.write_in_scope(actor, CONFIGURE, unit=found, owner_id=None):
        raise NotFound("子公司", "subsidiary")
    return found


def create_campaign(
    actor: Actor, unit: Unit, *, name: str, starts_on, ends_on, rule=None, every_months=None
) -> RevisitCampaign:
    """Plan a revisit campaign of the subsidiary of `unit` for `starts_on`–`ends_on` (FUP-1), once or
    repeating every `every_months` months (1, 3, 6 or 12)."""
    access.require(actor, CONFIGURE)
    if every_months in ("", 0):
        every_months = None
    if every_months is not None and every_months not in EVERY_MONTHS:
        raise Invalid(
            "followups_campaign_every",
            "重复周期只能是每月、每季度、每半年或每年",
            "A campaign repeats monthly, quarterly, half-yearly or yearly",
            {"every_months": "invalid"},
        )
    subsidiary = _subsidiary(actor, unit)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise Invalid(
            "followups_campaign_name",
            "请填写回访活动名称（不超过100个字符）",
            "Give the campaign a name (at most 100 characters)",
            {"name": "invalid"},
        )
    if starts_on is None or ends_on is None or ends_on < starts_on:
        raise Invalid(
            "followups_campaign_period",
            "回访活动的结束日期不能早于开始日期",
            "The campaign cannot end before it starts",
            {"ends_on": "invalid"},
        )
    rule = audiences.clean(rule)
    try:
        with transaction.atomic():
            campaign = RevisitCampaign.objects.create(
                unit=subsidiary,
                name=name,
                starts_on=starts_on,
                ends_on=ends_on,
                rule=rule,
                every_months=every_months,
                created_at=clock.now(),
                created_by=actor.user,
            )
            audit.record(
                actor,
                "followups.campaign.create",
                campaign,
                after={
                    "name": name,
                    "starts_on": starts_on,
                    "ends_on": ends_on,
                    "rule": rule,
                    "every_months": every_months,
                },
            )
    except IntegrityError:
        raise Conflict(
            "followups_campaign_exists",
            "本子公司已有同名回访活动",
            "The subsidiary has a campaign of that name",
        ) from None
    return campaign


def _campaign(actor: Actor, campaign: RevisitCampaign) -> RevisitCampaign:
    found = RevisitCampaign.objects.select_related("unit").filter(pk=campaign.pk).first()
    if found is None or not access.write_in_scope(actor, CONFIGURE, unit=found.unit, owner_id=None):
        raise NotFound("回访活动", "revisit campaign")
    return found


def _with_surveyed_case(rows, days: int) -> list:
    """CSAT-1 periodic surveys: a campaign over customers with a case closed in the last `days` is a
    sample survey — each task carries the customer's latest case closed then (one without an open
    revisit), so the 回访专员 records the questionnaire on it and the answer counts for that case."""
    since = clock.now() - timedelta(days=days)
    latest = {}
    closed = (
        Case.objects.filter(customer_id__in=[row[0] for row in rows], closed_at__gte=since)
        .exclude(Exists(RevisitTask.objects.filter(case=OuterRef("pk"), state=TaskState.OPEN)))
        .order_by("customer_id", "-closed_at", "-pk")
        .values_list("customer_id", "pk")
    )
    for customer_id, case_id in closed:
        latest.setdefault(customer_id, case_id)
    return [(*row, latest[row[0]]) if row[0] in latest else row for row in rows]


def launch(actor: Actor, campaign: RevisitCampaign, *, size: int = BATCH, batches: int | None = 1) -> int:
    """Launch the campaign: one revisit task per customer its rule selects, assigned by load and due
    by the end of its last day (each call still inside the customer's contact window, FUP-2). The
    first `batches` batches open in the caller's request, so a campaign of a few thousand customers
    is in the queues at once; the worker's `followups.campaign_batches` sweep opens the rest from the
    checkpoint (`batches=None`: all now). Returns the number opened by this call (0 for a campaign
    already launched)."""
    access.require(actor, CONFIGURE)
    campaign = _campaign(actor, campaign)
    if campaign.state == CampaignState.LAUNCHED:
        return 0
    if _due(campaign) <= clock.now():
        raise Conflict(
            "followups_campaign_over",
            "回访活动已结束，不能再发起",
            "The campaign is over: it cannot be launched",
        )
    with transaction.atomic():
        RevisitCampaign.objects.filter(pk=campaign.pk).update(state=CampaignState.LAUNCHING)
        audit.record(actor, "followups.campaign.launch", campaign, after={"name": campaign.name})
    return run(campaign.pk, actor=actor, size=size, batches=batches)


def _due(campaign: RevisitCampaign) -> datetime:
    # due by the end of the campaign's last day: the calls themselves keep to each customer's window
    return datetime.combine(campaign.ends_on, time.max, tzinfo=clock.local().tzinfo)


def run(pk: int, *, actor: Actor | None = None, size: int = BATCH, batches: int | None = None) -> int:
    """Open up to `batches` more batches (all when None) of a launching campaign, from its
    checkpoint; the campaign is launched once its audience is exhausted. Returns the number opened."""
    campaign = RevisitCampaign.objects.select_related("unit").filter(pk=pk).first()
    if campaign is None or campaign.state != CampaignState.LAUNCHING:
        return 0
    actor = actor or Actor.system("worker")
    due = _due(campaign)
    loads = {e.pk: n for e, n in officers_by_load(campaign.unit)}
    opened = 0
    stream = audiences.batches(
        campaign.unit, campaign.rule, seed=campaign.pk, after=campaign.checkpoint, size=size
    )
    for done_batches, keys in enumerate(stream):
        if batches is not None and done_batches >= batches:
            return opened  # more to do: the worker's sweep goes on from the checkpoint
        with transaction.atomic():
            # the campaign row locked per batch: two runs at once take turns, never both open a batch
            locked = RevisitCampaign.objects.select_for_update(of=("self",)).get(pk=campaign.pk)
            done = set(
                RevisitTask.objects.filter(campaign=locked, customer_id__in=keys).values_list(
                    "customer_id", flat=True
                )
            )
            rows = [
                row
                for row in Customer.objects.filter(pk__in=keys)
                .order_by("pk")
                .values_list("pk", "unit_id", "contact_window")
                if row[0] not in done
            ]
            if campaign.rule.get("closed_within_days"):
                rows = _with_surveyed_case(rows, campaign.rule["closed_within_days"])
            tasks = open_many(
                actor,
                rows,
                unit=campaign.unit,
                loads=loads,
                due=due,
                spec=None,
                entry=None,
                outcome=f"回访活动「{campaign.name}」，按负荷分派",
                inputs={"revisit_campaign": campaign.name},
                campaign=locked,
                wait_for_window=False,
            )
            opened += len(tasks)
            locked.checkpoint = max(locked.checkpoint, keys[-1])
            locked.opened += len(tasks)
            locked.save(update_fields=["checkpoint", "opened"])
    RevisitCampaign.objects.filter(pk=campaign.pk, state=CampaignState.LAUNCHING).update(
        state=CampaignState.LAUNCHED, launched_at=clock.now()
    )
    return opened


def sweep() -> int:
    """The worker's `followups.campaign_batches` sweep: some batches of every launching campaign."""
    launching = RevisitCampaign.objects.filter(state=CampaignState.LAUNCHING).values_list("pk", flat=True)
    return sum(run(pk, batches=10) for pk in list(launching))


def _shifted(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 March + 1 → 30 April)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def repeat(run_=None) -> int:
    """The daily schedule `followups.campaign_repeat` (CSAT-1 periodic samples, FUP-1): a launched
    campaign that repeats opens its next period's campaign once that period has begun — the same
    rule, a fresh sample (the new campaign is the sample's seed) — and launches it. Returns the number
    of campaigns opened."""
    today, now = clock.today(), clock.now()
    worker = Actor.system("worker")
    opened = 0
    repeating = RevisitCampaign.objects.filter(
        every_months__isnull=False, state=CampaignState.LAUNCHED, next_period__isnull=True
    ).select_related("unit")
    for campaign in repeating:
        starts_on = _shifted(campaign.starts_on, campaign.every_months)
        if starts_on > today:
            continue
        ends_on = _shifted(campaign.ends_on, campaign.every_months)
        name = f"{PERIOD_SUFFIX.sub('', campaign.name)[:92]}·{starts_on:%Y-%m}"
        try:
            with transaction.atomic():
                successor = RevisitCampaign.objects.create(
                    unit=campaign.unit,
                    name=name,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    rule=campaign.rule,
                    every_months=campaign.every_months,
                    previous=campaign,
                    state=CampaignState.LAUNCHING,
                    created_at=now,
                )
                audit.record(
                    worker,
                    "followups.campaign.repeat",
                    successor,
                    after={"name": name, "starts_on": starts_on, "ends_on": ends_on, "previous": campaign.pk},
                )
        except IntegrityError:
            continue  # another worker opened this period first (one successor per campaign)
        run(successor.pk, actor=worker, batches=1)  # the worker's sweep opens any further batches
        opened += 1
    return opened
