"""Issue 11: reads shared by a request are done once per request (kefu.core.memo), and never kept
longer — a policy version, a subsidiary override or an official holiday schedule made by another
process (here: another thread on its own database connection) is used by this process's next request.
"""

import threading
from datetime import datetime

import pytest
from django.db import connections
from django.test import Client
from django.utils import timezone

from kefu.cases.tests.test_api_cases import BODY, bearer
from kefu.core import clock
from kefu.core.actor import Actor
from kefu.engine.calendars import actions as calendar_actions
from kefu.engine.calendars.festivals import statutory_fallback
from kefu.engine.policy import actions as policy_actions
from kefu.org.models import Unit

KEY = "sla.consultation_first_response"  # a phoned-in consultation's first response (30 working minutes)


def elsewhere(work) -> None:
    """Run `work` as another process would: another thread, its own connection, committed."""
    failures = []

    def run():
        try:
            work()
        except Exception as error:  # pragma: no cover - shown by the assertion below
            failures.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert not failures, failures


def _first_response(client, auth, phone) -> tuple[datetime, dict]:
    answer = client.post(
        "/api/v1/cases",
        dict(BODY, customer={"name": "钱先生", "phone": phone}),
        content_type="application/json",
        **auth,
    )
    assert answer.status_code == 201, answer.content
    case = answer.json()
    due = datetime.fromisoformat(case["due"]["first_response"].replace("Z", "+00:00"))
    decision = next(d for d in case["decisions"] if KEY in d["inputs"])
    return timezone.localtime(due), decision


@pytest.mark.django_db(transaction=True)
def test_the_next_request_uses_what_another_process_published(
    demo, groups, frozen, admin_user
):  # POL-1, POL-2, CAL-3
    admin = Actor(user=admin_user, origin="test")
    client, auth = Client(), bearer(demo["zhaomin"].user)
    today = timezone.localdate(clock.now())

    due, why = _first_response(client, auth, "13500000011")
    assert (due.hour, due.minute) == (10, 30) and why["policy_version"] == 1

    # a new group value, effective at once (today)
    elsewhere(lambda: policy_actions.set_value(admin, KEY, 45, effective_from=today, reason="测试"))
    due, why = _first_response(client, auth, "13500000012")
    assert (due.hour, due.minute) == (10, 45) and why["policy_version"] == 2

    # a stricter value for the subsidiary (POL-2)
    realty = Unit.objects.get(code="hc-realty")
    elsewhere(lambda: policy_actions.set_override(admin, realty, KEY, 20, today, "测试"))
    due, why = _first_response(client, auth, "13500000013")
    assert (due.hour, due.minute) == (10, 20) and why["inputs"].get("override") == realty.name

    # the official schedule makes today a holiday: the clock starts on the next working day
    # (an import holds every statutory festival of the year: issue 13)
    days = {**{d: name for d, (_, name) in statutory_fallback(today.year).items()}, today: "测试假日"}
    rows = [(d, "holiday", name) for d, name in days.items()]
    elsewhere(lambda: calendar_actions.import_holiday_year(admin, today.year, rows))
    due, why = _first_response(client, auth, "13500000014")
    assert due.date() > today and (due.hour, due.minute) == (8, 50)


@pytest.mark.django_db(transaction=True)
def test_kinds_and_groups_kept_by_the_process_follow_a_change_elsewhere(demo, groups, frozen, admin_user):
    """Configuration is kept by each process across requests (kefu.core.memo.shared) while its
    generation stays the same: a skill group retired by another process routes nothing more."""
    from kefu.cases.actions import config as actions_config

    admin = Actor(user=admin_user, origin="test")
    client, auth = Client(), bearer(demo["zhaomin"].user)
    first = client.post(
        "/api/v1/cases", dict(BODY, customer={"name": "钱先生", "phone": "13500000021"}), **_json(auth)
    ).json()
    assert first["skill_group"]["name"] == "热线组"

    elsewhere(lambda: actions_config.update_group(admin, groups["hotline"], active=False))
    answer = client.post(
        "/api/v1/cases", dict(BODY, customer={"name": "钱先生", "phone": "13500000022"}), **_json(auth)
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["skill_group"] is None  # no group takes it now: it waits at the receiving unit


def _json(auth) -> dict:
    return {"content_type": "application/json", **auth}


@pytest.mark.django_db
def test_every_write_of_a_tracked_model_changes_the_generation(demo, groups):
    """The signals keep the token true: a save, a delete and a many-to-many change of any tracked
    model give a new token (and the list of tracked models is the one kefu.core.memo documents)."""
    from django.apps import apps
    from django.db.models.signals import post_save

    from kefu.core.models import ConfigGeneration

    uids = [entry[0][0] for entry in post_save.receivers]  # (lookup key = (dispatch uid, sender), …)
    tracked = sorted(
        uid.removeprefix("memo.track.save.")
        for uid in uids
        if isinstance(uid, str) and uid.startswith("memo.track.save.")
    )
    assert tracked == sorted(
        [
            "cases.CaseKind",
            "cases.SkillGroup",
            "calendars.Calendar",
            "calendars.CalendarOverride",
            "calendars.CalendarWindow",
            "calendars.HolidayDay",
            "calendars.HolidayYear",
            "org.Role",
            "org.RoleAssignment",
            "org.Unit",
            "policy.PolicyEntry",
            "policy.PolicyOverride",
            "policy.PolicyVersion",
        ]
    )

    def token() -> str:
        return ConfigGeneration.objects.get(pk=1).token

    for label in tracked:
        row = apps.get_model(label).objects.order_by("pk").first()
        if row is None:
            continue  # none in the demo: the signal wiring above is what is checked
        before = token()
        row.save()
        assert token() != before, f"saving a {label} kept the generation"
    before = token()
    groups["hotline"].members.remove(demo["sunli"])
    assert token() != before, "a skill group's members changed, the generation did not"
    before = token()
    apps.get_model("org.RoleAssignment").objects.filter(employee=demo["sunli"]).delete()
    assert token() != before, "deleting role assignments kept the generation"
