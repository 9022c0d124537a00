"""Cultural-exchange events (CARE-3): "文化交流每月不少于一期,时间为两天(一般安排在周六、周日)".

An event is planned for `care.event_days` days (usually a Saturday and Sunday: another start is allowed
and said in its decision record); customers chosen by rule (`queries.audiences`) are invited, each with
a text message carrying their own answer link (signed, no login: the public RSVP page); staff may
record an answer given by phone, and after the event who attended. The daily schedule
`followups.care_events` flags, once, a month in which a subsidiary held fewer events than
`care.events_per_month`: a decision record and a notification to its customer-service managers.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction

from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, DomainError, Invalid
from kefu.customers.models import Customer
from kefu.engine.notifications.api import notify
from kefu.engine.outbound import api as outbound
from kefu.engine.policy import api as policy
from kefu.engine.workflow.resolvers import role_holders
from kefu.followups.models import CareEvent, EventGap, EventState, Invitation, Rsvp
from kefu.followups.queries import audiences, care
from kefu.org import access
from kefu.org.models import Unit, UnitKind

DAYS, PER_MONTH = "care.event_days", "care.events_per_month"
SALT = "kefu.care.rsvp"
SATURDAY = 5  # date.weekday(): Monday is 0 — the calendar's, not a policy number
SYSTEM = Actor.system("worker care")
MANAGERS = role_holders("cs_manager", unit_attr="unit_holder")


def rsvp_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=SALT)


def rsvp_url(invitation: Invitation) -> str:
    return f"{settings.KEFU_SITE_URL}/care/rsvp/{rsvp_token(invitation)}/"


def invitation_of_token(token: str) -> Invitation | None:
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return (
        Invitation.objects.filter(pk=pk).select_related("event", "customer").first()
        if isinstance(pk, int)
        else None
    )


def plan(
    actor: Actor, unit: Unit, *, title: str, place: str, starts_on: date, audience: dict | None = None
) -> CareEvent:
    """Plan a cultural-exchange event of the subsidiary `unit` (CARE-3)."""
    care.require(actor, care.MANAGE, unit, "子公司", "subsidiary")
    title, place = (title or "").strip(), (place or "").strip()
    if not title or len(title) > 200 or not place or len(place) > 200:
        raise Invalid(
            "care_event_fields",
            "请填写活动名称和地点（各不超过200字）",
            "Fill in the title and the place",
            {"title": "required"},
        )
    if not isinstance(starts_on, date) or starts_on < clock.today():
        raise Invalid(
            "care_event_date",
            "活动日期不能早于今天",
            "The event cannot start in the past",
            {"starts_on": "invalid"},
        )
    owner = access.employee_of(actor.user)
    if owner is None:
        raise Invalid("care_no_employee", "只有员工可以安排客户关怀", "Only staff plan customer care")
    rule = audiences.clean(audience)
    days = policy.lookup(DAYS, unit=unit)
    ends_on = starts_on + timedelta(days=int(days.value) - 1)
    weekend = starts_on.weekday() == SATURDAY
    with transaction.atomic():
        event = CareEvent.objects.create(
            unit=unit,
            title=title,
            place=place,
            starts_on=starts_on,
            ends_on=ends_on,
            audience=rule,
            owner=owner,
            created_at=clock.now(),
        )
        decisions.record_from_entry(
            event,
            days,
            outcome=(
                f"活动为期{days.value}天：{starts_on:%Y-%m-%d}至{ends_on:%Y-%m-%d}"
                + ("（周六、周日）" if weekend else "（注意：未安排在周六、周日）")
            ),
            inputs={"event_weekend": weekend},
            actor=actor,
        )
        audit.record(
            actor, "followups.events.plan", event, after={"starts_on": starts_on, "audience_rule": rule}
        )
    return event


def _event(actor: Actor, event: CareEvent) -> CareEvent:
    care.require(actor, care.MANAGE, event.unit, "活动", "event")
    event = CareEvent.objects.select_for_update(of=("self",)).select_related("unit").get(pk=event.pk)
    if event.state == EventState.CANCELLED:
        raise Conflict("care_event_cancelled", "活动已取消", "The event was cancelled")
    return event


def invite(actor: Actor, event: CareEvent, *, send: bool = True) -> dict:
    """Invite the event's customers (by its rule) not invited yet; each gets a text with their answer
    link when `send` (a customer without a number, or who opted out, is invited all the same)."""
    invited = texted = 0
    after = 0
    while True:
        with transaction.atomic():
            event = _event(actor, event)
            if event.ends_on < clock.today():
                raise Conflict("care_event_over", "活动已结束", "The event is over")
            keys = next(audiences.batches(event.unit, event.audience, after=after), None)
            if not keys:
                break
            after = keys[-1]
            already = set(
                event.invitations.filter(customer_id__in=keys).values_list("customer_id", flat=True)
            )
            now = clock.now()
            for customer in Customer.objects.filter(pk__in=keys).exclude(pk__in=already).only("pk", "name"):
                invitation = Invitation.objects.create(event=event, customer=customer, created_at=now)
                invited += 1
                if not send:
                    continue
                body = (
                    f"{customer.name}您好，诚邀您参加“{event.title}”（{event.starts_on:%m月%d日}至"
                    f"{event.ends_on:%m月%d日}，{event.place}）。是否参加请点此回复：{rsvp_url(invitation)}"
                )
                try:
                    outbound.send(
                        SYSTEM, customer, channel="sms", body=body, purpose="event", due_at=now, obj=event
                    )
                    texted += 1
                except DomainError:
                    pass  # no number, opted out, the daily cap: staff can still call
            audit.record(
                actor, "followups.events.invite", event, after={"invited": invited, "texted": texted}
            )
    return {"invited": invited, "texted": texted}


def answer(invitation: Invitation, rsvp: str) -> Invitation:
    """The customer's own answer through their link (no login); a second answer replaces the first."""
    if rsvp not in (Rsvp.YES, Rsvp.NO):
        raise Invalid("care_rsvp", "请选择参加或不参加", "Choose yes or no", {"rsvp": "invalid"})
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",)).select_related("event").get(pk=invitation.pk)
        )
        if invitation.event.state == EventState.CANCELLED or invitation.event.ends_on < clock.today():
            raise Conflict("care_event_over", "活动已结束或已取消", "The event is over or cancelled")
        before = invitation.rsvp
        invitation.rsvp, invitation.rsvp_at, invitation.rsvp_by_customer = rsvp, clock.now(), True
        invitation.save(update_fields=["rsvp", "rsvp_at", "rsvp_by_customer"])
        audit.record(
            Actor.system("public rsvp"),
            "followups.events.rsvp",
            invitation,
            before={"rsvp": before},
            after={"rsvp": rsvp},
        )
    return invitation


def record(
    actor: Actor, invitation: Invitation, *, rsvp: str | None = None, attended: bool | None = None
) -> Invitation:
    """Staff record an answer given by phone, or (once the event began) whether the customer came."""
    with transaction.atomic():
        event = _event(actor, invitation.event)
        invitation = Invitation.objects.select_for_update(of=("self",)).get(pk=invitation.pk)
        before = {"rsvp": invitation.rsvp, "attended": invitation.attended}
        if rsvp is not None:
            if rsvp not in (Rsvp.YES, Rsvp.NO):
                raise Invalid("care_rsvp", "请选择参加或不参加", "Choose yes or no", {"rsvp": "invalid"})
            invitation.rsvp, invitation.rsvp_at, invitation.rsvp_by_customer = rsvp, clock.now(), False
        if attended is not None:
            if event.starts_on > clock.today():
                raise Invalid(
                    "care_attendance_early",
                    "活动开始后才能登记出席",
                    "Attendance is recorded once the event began",
                )
            invitation.attended = bool(attended)
        invitation.save(update_fields=["rsvp", "rsvp_at", "rsvp_by_customer", "attended"])
        audit.record(
            actor,
            "followups.events.record",
            invitation,
            before=before,
            after={"rsvp": invitation.rsvp, "attended": invitation.attended},
        )
    return invitation


def cancel(actor: Actor, event: CareEvent) -> CareEvent:
    with transaction.atomic():
        event = _event(actor, event)
        event.state = EventState.CANCELLED
        event.save(update_fields=["state"])
        audit.record(actor, "followups.events.cancel", event, after={"state": EventState.CANCELLED})
    return event


class _Holder:
    """What the manager resolver reads: the subsidiary a gap belongs to."""

    def __init__(self, unit: Unit):
        self.unit_holder = unit


def monthly_check(run_=None) -> int:
    """The daily schedule `followups.care_events` (WF-5): each subsidiary's previous month is checked
    once; fewer events than `care.events_per_month` → an `EventGap`, its decision record and a
    notification to the subsidiary's customer-service managers. Returns the months flagged."""
    today = clock.today()
    month_start = today.replace(day=1)
    previous = (month_start - timedelta(days=1)).replace(day=1)
    flagged = 0
    for unit in Unit.objects.filter(kind=UnitKind.SUBSIDIARY, is_active=True):
        if EventGap.objects.filter(unit=unit, month=previous).exists():
            continue
        entry = policy.lookup(PER_MONTH, unit=unit)
        held = (
            CareEvent.objects.filter(unit=unit, starts_on__gte=previous, starts_on__lt=month_start)
            .exclude(state=EventState.CANCELLED)
            .count()
        )
        if held >= int(entry.value):
            continue
        try:
            with transaction.atomic():
                gap = EventGap.objects.create(unit=unit, month=previous, flagged_at=clock.now())
                decisions.record_from_entry(
                    gap,
                    entry,
                    outcome=f"{unit.name}{previous:%Y年%m月}举办文化交流活动 {held} 期，少于每月 {entry.value} 期",
                    inputs={"events_held": held},
                )
                audit.record(
                    SYSTEM, "followups.events.gap", gap, after={"month": f"{previous:%Y-%m}", "events": held}
                )
                notify(
                    MANAGERS(_Holder(unit)),
                    "care.event_gap",
                    {"unit": unit.name, "month": f"{previous:%Y-%m}", "events": held, "least": entry.value},
                    obj=gap,
                    link="/care/events/",
                )
        except IntegrityError:  # another worker flagged it first
            continue
        flagged += 1
    return flagged
