"""Festival and birthday greetings (CARE-1): "于每个节日前的1-3日前送达".

A campaign (per subsidiary, occasion and year) is planned, then runs: the daily schedule
`followups.care_greetings` (`actions.occasions`) starts a festival campaign on the first day of its
window (`care.greeting_days_before_max` days before the festival) and the worker's `followups.care_batches`
sweep greets its customers in key-set batches (`queries.audiences`). Each batch is one transaction: the
campaign row is locked (one runner at a time), every customer of the batch gets one `GreetingDelivery`
(UNIQUE campaign + customer) with its outbound message queued through `engine.outbound` (or, for a call
or visit, a line on the caller's list), and the checkpoint moves to the batch's last customer. A worker
killed mid-batch leaves nothing of that batch; the next run starts again after the checkpoint: exactly
one greeting per customer and occasion. Birthday campaigns greet, once a day, the customers whose
birthday falls in the window; one campaign per year, so each customer once a year.

Once the day has come, each greeting gets its verdict (`actions.occasions`): on time, late or missed,
the late and missed ones flagged.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction

from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, DomainError, Invalid
from kefu.customers.models import Contact, Customer
from kefu.engine.calendars.festivals import FESTIVALS, festival_date
from kefu.engine.outbound import api as outbound
from kefu.engine.policy import api as policy
from kefu.followups.models import (
    DeliveryState,
    GreetingCampaign,
    GreetingChannel,
    GreetingDelivery,
    GreetingState,
    Occasion,
)
from kefu.followups.queries import audiences, care
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit

MIN, MAX = "care.greeting_days_before_min", "care.greeting_days_before_max"
PURPOSE = "greeting"
NAME = "{客户姓名}"  # in a greeting, replaced by the customer's name ({name} too)
MESSAGE_MAX = 500
SUBJECT_MAX = 120
WORKER = Actor.system("worker care")
REFUSALS = {  # why the outbound queue refused a greeting (its error codes)
    "opted_out": "已退订",
    "outbound_no_address": "没有手机号码或邮箱",
    "outbound_daily_cap": "当天消息已达上限",
    "contact_window": "不在联系时段",
    "no_third_party_contact": "不得联系第三方",
    "not_found": "客户已不存在",
    "outbound_content": "消息内容无效",
}
BIRTHDAY = Occasion.BIRTHDAY


def occasion_day(occasion: str, year: int) -> date | None:
    """The festival's day in `year` (lunar festivals from the engine, 清明 from the solar term)."""
    return None if occasion == BIRTHDAY else festival_date(occasion, year)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=clock.zone())


def deadline(day: date, unit: Unit) -> datetime:
    """A greeting for `day` is on time when it left before the end of the day
    `care.greeting_days_before_min` days ahead of it."""
    least = policy.lookup(MIN, unit=unit)
    return _midnight(day - timedelta(days=int(least.value) - 1))


def window(day: date, unit: Unit) -> tuple[date, date]:
    """The days a greeting for `day` is delivered on: 1–3 days before (CARE-1)."""
    least, most = policy.lookup(MIN, unit=unit), policy.lookup(MAX, unit=unit)
    return day - timedelta(days=int(most.value)), day - timedelta(days=int(least.value))


def _text(value: str, field: str, limit: int, *, required: bool, zh: str, en: str) -> str:
    value = (value or "").strip()
    if (required and not value) or len(value) > limit:
        raise Invalid(
            f"care_{field}",
            f"请填写{zh}（不超过{limit}字）",
            f"Fill in the {en} (at most {limit} characters)",
            {field: "invalid"},
        )
    return value


def plan(
    actor: Actor,
    unit: Unit,
    *,
    occasion: str,
    year: int,
    channel: str,
    message: str,
    subject: str = "",
    audience: dict | None = None,
    caller: Employee | None = None,
    title: str = "",
) -> GreetingCampaign:
    """Plan a greeting campaign of the subsidiary `unit` for one occasion of one year (CARE-1)."""
    care.require(actor, care.MANAGE, unit, "子公司", "subsidiary")
    if occasion not in Occasion.values:
        raise Invalid("care_occasion", "请选择节日或生日", "Choose the occasion", {"occasion": "invalid"})
    if channel not in GreetingChannel.values:
        raise Invalid("care_channel", "请选择慰问方式", "Choose how to greet", {"channel": "invalid"})
    today = clock.today()
    if not isinstance(year, int) or not today.year <= year <= today.year + 1:
        raise Invalid(
            "care_year", "只能安排今年或明年的慰问", "Plan this year's or next year's", {"year": "invalid"}
        )
    day = occasion_day(occasion, year)
    if occasion != BIRTHDAY and (day is None or day <= today):
        raise Invalid(
            "CARE-1.day_passed",
            "该节日已到或已过，不能再安排慰问（CARE-1：于每个节日前的1-3日前送达）",
            "The festival has come: too late to plan its greetings (CARE-1)",
            {"year": "passed"},
        )
    message = _text(message, "message", MESSAGE_MAX, required=True, zh="慰问内容", en="message")
    subject = _text(
        subject,
        "subject",
        SUBJECT_MAX,
        required=channel == GreetingChannel.EMAIL,
        zh="邮件主题",
        en="subject",
    )
    if channel in (GreetingChannel.CALL, GreetingChannel.VISIT):
        if (
            caller is None
            or caller.status != EmploymentStatus.ACTIVE
            or not caller.unit.path.startswith(unit.path)
        ):
            raise Invalid(
                "care_caller",
                "电话或上门慰问须指定本公司在岗的员工",
                "A call or visit needs an active employee of the subsidiary",
                {"caller": "required"},
            )
    else:
        caller = None
    rule = audiences.clean(audience)
    owner = access.employee_of(actor.user)
    if owner is None:
        raise Invalid("care_no_employee", "只有员工可以安排客户关怀", "Only staff plan customer care")
    title = (title or "").strip()[:200] or f"{year}年{occasion_zh(occasion)}慰问"
    now = clock.now()
    with transaction.atomic():
        if GreetingCampaign.objects.filter(unit=unit, occasion=occasion, year=year).exists():
            raise Conflict(
                "care_campaign_exists",
                "本公司该节日当年的慰问已安排",
                "This subsidiary already has this occasion's campaign for that year",
            )
        campaign = GreetingCampaign.objects.create(
            unit=unit,
            occasion=occasion,
            year=year,
            occasion_on=day,
            title=title,
            channel=channel,
            audience=rule,
            subject=subject,
            message=message,
            owner=owner,
            caller=caller,
            seed=(unit.pk * 7919 + year) % 100,
            created_at=now,
        )
        audit.record(
            actor,
            "followups.greetings.plan",
            campaign,
            after={"occasion": occasion, "year": year, "channel": channel, "audience_rule": rule},
        )
    return campaign


def occasion_zh(occasion: str) -> str:
    """The occasion's Chinese name (a campaign's title is stored in Chinese, whatever the planner's language)."""
    return "生日" if occasion == BIRTHDAY else FESTIVALS[occasion][0]


def begin(actor: Actor, campaign: GreetingCampaign, now) -> None:
    campaign.state, campaign.started_at = GreetingState.RUNNING, now
    campaign.save(update_fields=["state", "started_at"])
    if campaign.occasion_on:
        first, last = window(campaign.occasion_on, campaign.unit)
        entry = policy.lookup(MAX, unit=campaign.unit)
        outcome = f"{first:%Y-%m-%d}至{last:%Y-%m-%d}送达（节日前1-3日），开始发送"
    else:
        entry = policy.lookup(MAX, unit=campaign.unit)
        outcome = "每日慰问生日在1-3日后的客户"
    decisions.record_from_entry(
        campaign, entry, outcome=outcome, inputs={"care_occasion": campaign.occasion}, actor=actor
    )
    audit.record(actor, "followups.greetings.start", campaign, after={"state": GreetingState.RUNNING})


def start(actor: Actor, campaign: GreetingCampaign) -> GreetingCampaign:
    """Start a planned campaign now (its greetings go out in the worker's next batches)."""
    care.require(actor, care.MANAGE, campaign.unit, "慰问活动", "greeting campaign")
    with transaction.atomic():
        campaign = (
            GreetingCampaign.objects.select_for_update(of=("self",))
            .select_related("unit")
            .get(pk=campaign.pk)
        )
        if campaign.state != GreetingState.PLANNED:
            raise Conflict("care_campaign_started", "该慰问已开始", "This campaign has already started")
        if campaign.occasion_on and campaign.occasion_on <= clock.today():
            raise Invalid(
                "CARE-1.day_passed",
                "该节日已到或已过，不能再发送慰问（CARE-1：于每个节日前的1-3日前送达）",
                "The festival has come: too late to greet (CARE-1)",
            )
        begin(actor, campaign, clock.now())
    return campaign


# ---- the batch ----------------------------------------------------------------------------------


def _body(campaign: GreetingCampaign, name: str) -> str:
    return campaign.message.replace(NAME, name).replace("{name}", name)


def deliver(campaign: GreetingCampaign, keys: list[int], day_of, now) -> int:
    """Greet the customers `keys` (the caller's transaction): one delivery each, with its message."""
    customers = list(Customer.objects.filter(pk__in=keys).only("pk", "name", "birthday").order_by("pk"))
    contacts: dict[int, Contact] = {}
    if campaign.channel == GreetingChannel.EMAIL:
        for contact in Contact.objects.filter(customer_id__in=keys, is_key_person=True).order_by("pk"):
            if contact.email and contact.customer_id not in contacts:
                contacts[contact.customer_id] = contact
    rows = [
        GreetingDelivery(campaign=campaign, customer=customer, occasion_on=day_of(customer), created_at=now)
        for customer in customers
    ]
    if campaign.channel in (GreetingChannel.CALL, GreetingChannel.VISIT):
        for delivery in rows:
            delivery.state = DeliveryState.TO_CALL
    else:
        # the messages of the whole batch through the gateway's batch interface: the same checks as
        # one by one (opted out, no number or address, the daily cap: that greeting is recorded as
        # failed), a few statements per batch
        sent = outbound.send_many(
            WORKER,
            [
                (
                    contacts.get(c.pk, c) if campaign.channel == GreetingChannel.EMAIL else c,
                    _body(campaign, c.name),
                )
                for c in customers
            ],
            channel=campaign.channel,
            subject=campaign.subject,
            purpose=PURPOSE,
            due_at=now,
            obj=campaign,
        )
        refused: dict[str, int] = {}
        for delivery, result in zip(rows, sent, strict=True):
            if isinstance(result, DomainError):
                delivery.state, delivery.failure = DeliveryState.FAILED, result.code[:50]
                refused[result.code] = refused.get(result.code, 0) + 1
            else:
                delivery.state, delivery.message = DeliveryState.QUEUED, result
        if refused:  # an automated outcome: why these customers got no greeting
            decisions.record(
                campaign,
                rule="FUP-2",
                outcome="本批有 {} 位客户未能发送慰问：{}".format(
                    sum(refused.values()),
                    "，".join(f"{REFUSALS.get(k, '其他原因')} {n} 位" for k, n in refused.items()),
                ),
                inputs={"greetings_refused": sum(refused.values())},
                policy_version=None,
                clause="",
            )
    GreetingDelivery.objects.bulk_create(rows)
    return len(rows)


def _batch(campaign_id: int, size: int) -> int | None:
    """One batch of a running festival campaign, in one transaction; None when there is nothing left."""
    now = clock.now()
    with transaction.atomic():
        campaign = (
            GreetingCampaign.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("unit")
            .filter(pk=campaign_id, state=GreetingState.RUNNING, finished_at__isnull=True)
            .first()
        )
        if campaign is None:
            return None
        keys = next(
            audiences.batches(
                campaign.unit, campaign.audience, seed=campaign.seed, after=campaign.checkpoint, size=size
            ),
            None,
        )
        if not keys:
            campaign.finished_at = now
            campaign.save(update_fields=["finished_at"])
            audit.record(
                WORKER, "followups.greetings.all_queued", campaign, after={"last": campaign.checkpoint}
            )
            return None
        day = campaign.occasion_on
        done = deliver(campaign, keys, lambda customer: day, now)
        before, campaign.checkpoint = campaign.checkpoint, keys[-1]
        campaign.save(update_fields=["checkpoint"])
        audit.record(
            WORKER,
            "followups.greetings.batch",
            campaign,
            after={"after": before, "last": keys[-1], "greetings": done},
        )
    return done


def run(campaign_id: int, *, size: int = audiences.BATCH, batches: int | None = None) -> int:
    """Run a festival campaign's batches from its checkpoint (all, or `batches` of them); returns the
    number of customers greeted. Safe to run from several workers and to restart after a kill."""
    greeted, count = 0, 0
    while batches is None or count < batches:
        done = _batch(campaign_id, size)
        if done is None:
            break
        greeted, count = greeted + done, count + 1
    return greeted


def sweep() -> int:
    """The worker's `followups.care_batches` sweep: some batches of every running festival campaign."""
    greeted = 0
    running = GreetingCampaign.objects.filter(
        state=GreetingState.RUNNING, finished_at__isnull=True, occasion_on__isnull=False
    ).values_list("pk", flat=True)
    for pk in list(running):
        greeted += run(pk, batches=10)
    return greeted


# ---- calls and visits ---------------------------------------------------------------------------


def mark_done(actor: Actor, delivery: GreetingDelivery) -> GreetingDelivery:
    """The caller (or a manager) says the greeting call or visit was made."""
    care.require(actor, care.MANAGE, delivery.campaign.unit, "慰问", "greeting")
    with transaction.atomic():
        delivery = GreetingDelivery.objects.select_for_update(of=("self",)).get(pk=delivery.pk)
        if delivery.state != DeliveryState.TO_CALL:
            raise Conflict(
                "care_greeting_done", "该慰问已完成或不需致电", "This greeting is not waiting for a call"
            )
        delivery.state, delivery.done_at = DeliveryState.DONE, clock.now()
        delivery.save(update_fields=["state", "done_at"])
        audit.record(actor, "followups.greetings.done", delivery, after={"state": DeliveryState.DONE})
    return delivery
