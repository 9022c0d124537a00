"""CUS-5 upkeep schedules (WF-5). Each period's run tells the responsible people what is due, in
their inbox and by e-mail (template `customers.upkeep_due`). How often, and on which weekday, is the
policy pack's (issue 13), read at each sweep:

* `customers.reverify` (every `customers.reverify_every` months, 3 = quarterly) — 客户信息档案每季度
  重新核定一次: the owners of live customers and the info officers (holders of customer.verify).
* `customers.important_review` (every `customers.important_review_every` months) — 每季度,销售或市场
  部门应对重要客户进行评估和更新: the owners of important customers (重要客户) and the sales / marketing staff.
* `customers.competition` (每月第一个星期一: the first `customers.competition_input_weekday` of each
  month) — competitive-environment input (竞争环境): sales and marketing staff.
"""

from collections import Counter

from django.contrib.auth import get_user_model

from kefu.customers.models import Customer
from kefu.engine.notifications.api import notify
from kefu.engine.schedules.registry import Schedule, register
from kefu.org.models import Employee

SCHEDULES = [
    Schedule(
        "customers.reverify",
        "months:{value}",
        run="kefu.customers.jobs.reverify",
        working_day=True,
        policy_key="customers.reverify_every",
    ),
    Schedule(
        "customers.important_review",
        "months:{value}",
        run="kefu.customers.jobs.important_review",
        working_day=True,
        policy_key="customers.important_review_every",
    ),
    Schedule(
        "customers.competition",
        "monthly:first-{value}",
        run="kefu.customers.jobs.competition",
        policy_key="customers.competition_input_weekday",
    ),
]


def register_schedules() -> None:
    for schedule in SCHEDULES:
        register(schedule)


def _holders(role_codes=None, permission=None):
    qs = Employee.objects.filter(status="active", user__is_active=True).select_related("user")
    if role_codes is not None:
        qs = qs.filter(role_assignments__role__code__in=role_codes)
    employees = list(qs.distinct().prefetch_related("role_assignments__role"))
    if permission is not None:
        employees = [
            e for e in employees if any(permission in a.role.permissions for a in e.role_assignments.all())
        ]
    return employees


def _notify(run, task: str, counts: Counter, extra_users, rule: str) -> int:
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=list(counts))}
    for user in extra_users:
        users.setdefault(user.pk, user)
    sent = 0
    for pk, user in users.items():
        notify(
            [user],
            "customers.upkeep_due",
            {"task": task, "period": run.period_key, "count": counts.get(pk, 0), "rule": rule},
            link="/customers/",
        )
        sent += 1
    return sent


def _owner_counts(**filters) -> Counter:
    rows = Customer.objects.filter(destroyed_at__isnull=True, owner__isnull=False, **filters).values_list(
        "owner__user_id", flat=True
    )
    return Counter(rows)


def reverify(run) -> int:
    officers = [e.user for e in _holders(permission="customer.verify")]
    return _notify(
        run, "客户档案季度重新核定 / quarterly re-verification", _owner_counts(), officers, "CUS-5"
    )


def important_review(run) -> int:
    staff = [e.user for e in _holders(role_codes=["sales", "marketing"])]
    counts = _owner_counts(novelty="important")
    return _notify(
        run, "重要客户季度评估更新 / quarterly review of important customers", counts, staff, "CUS-5"
    )


def competition(run) -> int:
    staff = [e.user for e in _holders(role_codes=["sales", "marketing"])]
    return _notify(run, "竞争环境信息录入 / competitive-environment input", Counter(), staff, "CUS-5")
