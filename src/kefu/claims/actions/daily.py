"""The group's daily registration submissions (CLM-12): one 《客户信息登录申请审批表》 per unit and
day — the day's new customers, or explicitly none — and the daily check that flags each unit
without one for the previous working day and tells its 行政部 (不得出现瞒报、漏报、谎报)."""

from datetime import date, timedelta
from types import SimpleNamespace

from django.db import IntegrityError, transaction

from kefu.claims.models import DailySubmission, MissingSubmission
from kefu.claims.queries.daily import may_submit_daily, reporting_units
from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.crypto import mask_phone
from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from kefu.engine.calendars import api as calendars
from kefu.engine.notifications.api import notify
from kefu.engine.workflow.resolvers import role_holders
from kefu.org import access
from kefu.org.models import Unit

REPORTING_CLAUSE = "各单位不得出现瞒报、漏报、谎报现象,如有违反规定的,一律从重从严处理"


def submit_daily(
    actor: Actor, *, unit: Unit, day: date, customers: list[dict], none_today: bool
) -> DailySubmission:
    """One 《客户信息登录申请审批表》 per unit and day: the day's new customers, or explicitly none.
    Someone who submits for some unit gets 404 for a unit they cannot see (org.view), as for a missing
    one; 403 for a unit they see but do not submit for, or when they submit for none (issue 10)."""
    if not may_submit_daily(actor, unit):
        duty = access.can(actor, "claim.register") or access.can(actor, "claim.manage")
        if duty and not access.unit_in_scope(actor, "org.view", unit):
            raise NotFound("单位", "unit")
        raise PermissionDenied("您不能为该单位填报", "You cannot submit for that unit")
    if day > clock.today():
        raise Invalid(
            "claim_daily_future",
            "不能为未来的日期填报（CLM-12）",
            "A day that has not come yet cannot be submitted (CLM-12)",
            {"day": "future"},
        )
    if none_today == bool(customers):
        raise Invalid(
            "claim_daily_choice",
            "请填写当日新增客户，或明确选择“今日无新增客户”（CLM-12）",
            "List the day's new customers, or state explicitly that there were none (CLM-12)",
            {"customers": "required"},
        )
    rows = []
    for item in customers:
        name = (item.get("name") or "").strip()
        if not name:
            raise Invalid(
                "claim_daily_name", "客户姓名必填", "Each customer needs a name", {"customers": "name"}
            )
        rows.append({"name": name, "phone": mask_phone(item.get("phone") or "")})
    try:
        with transaction.atomic():
            submission = DailySubmission.objects.create(
                unit=unit,
                day=day,
                none_today=none_today,
                customers=rows,
                submitted_by=actor.user,
                submitted_at=clock.now(),
            )
            MissingSubmission.objects.filter(unit=unit, day=day).delete()
            audit.record(actor, "claims.daily_submit", submission, after={"day": day, "count": len(rows)})
    except IntegrityError:
        raise Conflict(
            "claim_daily_exists", f"{day} 已填报", f"{day} has already been submitted", day=str(day)
        ) from None
    return submission


def previous_working_day(today: date, calendar: str = "office") -> date:
    """The working day before `today`: the day whose submission the daily check looks for."""
    return calendars.previous_working_day(calendar, today - timedelta(days=1))


def flag_missing(run) -> int:
    """Daily schedule (CLM-12): flag each unit without a submission for the previous working day and
    tell its 行政部 (holders of `claim.manage`)."""
    today = date.fromisoformat(run.period_key) if run is not None else clock.now().date()
    day = previous_working_day(today)
    submitted = set(DailySubmission.objects.filter(day=day).values_list("unit_id", flat=True))
    flagged = 0
    for unit in reporting_units().exclude(pk__in=submitted):
        gap, created = MissingSubmission.objects.get_or_create(
            unit=unit, day=day, defaults={"flagged_at": clock.now()}
        )
        if not created:
            continue
        flagged += 1
        decisions.record(
            gap,
            rule="CLM-12",
            outcome="当日未提交报备，已标记 / missing daily submission flagged",
            inputs={"unit": unit.name, "day": day},
            policy_version=None,
            clause=REPORTING_CLAUSE,
            source="004 · 集团客户服务工作制度",
        )
        audit.record(
            Actor.system("schedule"), "claims.daily_missing", gap, after={"unit": unit.pk, "day": day}
        )
        recipients = role_holders("hr_admin", unit_attr="unit")(SimpleNamespace(unit=unit))
        if recipients:
            notify(recipients, "claims.daily_missing", {"unit": unit.name, "day": day}, link="/claims/daily/")
    return flagged
