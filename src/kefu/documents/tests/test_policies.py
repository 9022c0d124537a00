"""Policy documents (DOC-1): versions distributed to the issuing unit's staff and acknowledged per
version; a new version supersedes the last and needs acknowledging again; "who has read version N" for
managers, limited to the people their grants reach; reminders once a day per person at most until done;
another subsidiary's manager cannot issue; the seed documents import as policies (title from line one)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kefu.cases.tests.test_api_cases import bearer
from kefu.core import clock
from kefu.core.errors import Invalid, NotFound, PermissionDenied
from kefu.core.models import AuditEvent
from kefu.documents.actions import policies as actions
from kefu.documents.models import Policy, Reading, Reminder
from kefu.documents.queries import policies as queries
from kefu.documents.seeds import seed_files
from kefu.engine.notifications.models import Notification
from kefu.engine.schedules.registry import SCHEDULES
from kefu.org.models import Employee, Unit

pytestmark = pytest.mark.django_db

BODY = "第一条 客服人员应热情、耐心、周到地接待每一位客户。\n\n第二条 首问负责，不推诿。"


@pytest.fixture
def made(act, realty, frozen):
    """王芳's 华辰置业 policy, version 1 distributed."""
    return actions.issue(
        act("wangfang"), unit=realty, title="客户接待规范", body=BODY, effective_on=clock.today()
    )


def test_doc1_issue_distributes_version_1_to_the_units_staff(made, realty, demo):  # DOC-1
    version = made.versions.get()
    assert version.number == 1 and version.body == BODY.strip()
    staff = Employee.objects.filter(status="active", unit__path__startswith=realty.path).count()
    assert version.readings.count() == staff and staff > 5
    assert not version.readings.filter(employee=demo["gaofeng"]).exists()  # another subsidiary
    assert Notification.objects.filter(
        template="documents.policy_distributed", recipient=demo["zhaomin"].user
    ).exists()
    event = AuditEvent.objects.get(action="documents.policy.version", object_id=str(version.pk))
    assert event.after["distributed"] == staff and "body" not in event.after


def test_doc1_new_version_supersedes_and_is_acknowledged_again(made, act, demo):  # DOC-1
    v1 = made.versions.get()
    actions.acknowledge(act("zhaomin"), v1)
    actions.acknowledge(act("zhaomin"), v1)  # once
    assert AuditEvent.objects.filter(action="documents.policy.acknowledge").count() == 1
    v2 = actions.new_version(act("wangfang"), made, effective_on=clock.today(), note="增加第三条")
    assert v2.number == 2 and v2.body == v1.body  # the text carried over when not given
    [row] = queries.with_counts(list(queries.policies(act("wangfang"))), act("wangfang"))
    assert row.current_number == 2 and row.acknowledged == 0 and row.sent == v2.readings.count()
    assert [r.version_id for r in queries.my_pending(act("zhaomin"))] == [v2.pk]  # v1 no longer asked
    with pytest.raises(Invalid) as refused:
        actions.acknowledge(act("sunli"), v1)  # a superseded version is not acknowledged any more
    assert refused.value.code == "documents_superseded"
    actions.acknowledge(act("zhaomin"), v2)
    assert queries.my_pending(act("zhaomin")) == []
    assert Reading.objects.get(version=v1, employee=demo["zhaomin"]).acknowledged_at is not None


def test_doc1_who_has_read_version_n_for_managers_only(made, act, demo, group):  # DOC-1
    version = made.versions.get()
    actions.acknowledge(act("lina"), version)
    rows = queries.readers(act("wangfang"), version)
    read = {r.employee.user.username for r in rows if r.acknowledged_at}
    unread = {r.employee.user.username for r in rows if not r.acknowledged_at}
    assert read == {"lina"} and "zhaomin" in unread and len(rows) == version.readings.count()
    assert queries.readers(act("zhaomin"), version) == []  # an agent sees only their own reading
    with pytest.raises(NotFound):
        queries.policy(act("gaofeng"), made.pk)  # water's manager does not see realty's policy
    # a group policy: each subsidiary's manager sees who of their own staff has read it
    library = actions.issue(
        act("admin"), unit=group, title="集团客服总则", body=BODY, effective_on=clock.today()
    )
    group_version = library.versions.get()
    water = Unit.objects.get(code="hc-water")
    theirs = queries.readers(act("gaofeng"), group_version)
    assert theirs and all(r.employee.unit.path.startswith(water.path) for r in theirs)
    assert len(queries.readers(act("admin"), group_version)) == group_version.readings.count()


def test_doc1_another_subsidiarys_manager_cannot_issue_or_revise(made, act, realty):  # DOC-1
    with pytest.raises(PermissionDenied):
        actions.new_version(act("gaofeng"), made, effective_on=clock.today())
    with pytest.raises(PermissionDenied):
        actions.issue(act("gaofeng"), unit=realty, title="越权制度", body=BODY, effective_on=clock.today())
    with pytest.raises(PermissionDenied):
        actions.issue(act("zhaomin"), unit=realty, title="越权制度", body=BODY, effective_on=clock.today())
    with pytest.raises(PermissionDenied):
        actions.acknowledge(act("gaofeng"), made.versions.get())  # not distributed to him
    with pytest.raises(Invalid):
        actions.issue(
            act("wangfang"), unit=realty, title="客户接待规范", body=BODY, effective_on=clock.today()
        )


def test_doc1_reminded_once_a_day_per_person_until_acknowledged(made, act, demo, realty):  # DOC-1
    assert "documents.policy_reminders" in SCHEDULES
    other = actions.issue(
        act("wangfang"), unit=realty, title="投诉处理办法", body=BODY, effective_on=clock.today()
    )
    zhaomin, sunli = demo["zhaomin"].user, demo["sunli"].user
    for version in (made.versions.get(), other.versions.get()):
        actions.acknowledge(act("sunli"), version)
    assert (
        actions.remind() == 0
    )  # distributed today: the pack's interval (1 day, 本系统默认值) not yet passed
    clock.advance(timedelta(days=1))
    assert actions.remind() > 0
    assert actions.remind() == 0  # not twice the same day
    reminders = Notification.objects.filter(template="documents.policy_reminder")
    assert reminders.filter(recipient=zhaomin).count() == 1  # one message for both policies
    assert Reminder.objects.get(employee=demo["zhaomin"]).pending == 2
    assert not reminders.filter(recipient=sunli).exists()
    clock.advance(timedelta(days=1))
    actions.remind()
    assert reminders.filter(recipient=zhaomin).count() == 2  # again the next day, until done
    assert Reading.objects.get(version=made.versions.get(), employee=demo["zhaomin"]).reminders == 2
    for version in (made.versions.get(), other.versions.get()):
        actions.acknowledge(act("zhaomin"), version)
    clock.advance(timedelta(days=1))
    actions.remind()
    assert reminders.filter(recipient=zhaomin).count() == 2
    v2 = actions.new_version(act("wangfang"), made, effective_on=clock.today())
    clock.advance(timedelta(days=1))
    actions.remind()
    assert reminders.filter(recipient=zhaomin).count() == 3  # a new version: reminded again
    assert Reading.objects.get(version=v2, employee=demo["zhaomin"]).reminders == 1


def test_doc1_seed_documents_import_as_policies(act, group, frozen):  # DOC-1
    files = seed_files()
    assert len(files) == 5
    made = actions.import_texts(act("admin"), unit=group, paths=files)
    assert made == {"issued": 5, "versions": 0, "unchanged": 0}
    titles = set(Policy.objects.filter(unit=group).values_list("title", flat=True))
    assert "客服报备方案" in titles and "集团公司客户管理服务中心管理制度" in titles
    assert "客服部门机制方案" in titles  # ".doc" dropped from the first line
    policy = Policy.objects.get(unit=group, title="客服报备方案")
    body = policy.versions.get().body
    assert "客服报备是指客服人员" in body and "\n\n\n" not in body
    assert actions.import_texts(act("admin"), unit=group, paths=files)["unchanged"] == 5  # twice: nothing


def test_doc1_import_command_new_version_when_the_text_changed(demo, group, frozen, tmp_path):  # DOC-1
    path = tmp_path / "rules.txt"
    path.write_text("\n\n客服值班制度\n第一条 按时到岗。\n", encoding="utf-8")
    call_command("import_policies", str(path), unit="hc-group")
    policy = Policy.objects.get(unit=group, title="客服值班制度")
    assert policy.versions.get().body == "第一条 按时到岗。"
    path.write_text("客服值班制度\n第一条 按时到岗。\n第二条 交接清楚。\n", encoding="utf-8")
    call_command("import_policies", str(path), unit="hc-group")
    assert policy.versions.order_by("-number").first().number == 2


def test_doc1_api_issue_version_acknowledge_and_readers(made, demo, frozen):  # DOC-1
    client = Client()
    manager, agent = bearer(demo["wangfang"].user), bearer(demo["zhaomin"].user)
    answer = client.post(
        f"/api/v1/documents/policies/{made.pk}/versions",
        {"effective_on": clock.today().isoformat(), "note": "第二版"},
        content_type="application/json",
        **manager,
    )
    assert answer.status_code == 201 and answer.json()["current"]["number"] == 2
    version_id = answer.json()["current"]["id"]
    mine = client.get(f"/api/v1/documents/policies/{made.pk}", **agent).json()
    assert mine["to_acknowledge"] and mine["body"].startswith("第一条")
    assert (
        client.post(f"/api/v1/documents/policies/versions/{version_id}/acknowledge", **agent).status_code
        == 200
    )
    readers = client.get(f"/api/v1/documents/policies/versions/{version_id}/readers", **manager).json()
    assert [r["name"] for r in readers if r["acknowledged_at"]] == ["赵敏"]
    assert client.get(f"/api/v1/documents/policies/versions/{version_id}/readers", **agent).json() == []
    water = bearer(demo["gaofeng"].user)
    assert client.get(f"/api/v1/documents/policies/{made.pk}", **water).status_code == 404
    refused = client.post(
        "/api/v1/documents/policies",
        {"unit_id": made.unit_id, "title": "x", "body": "y", "effective_on": clock.today().isoformat()},
        content_type="application/json",
        **water,
    )
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "documents_forbidden"


def test_doc1_policy_page_acknowledge_and_readers(made, demo, frozen):  # DOC-1
    client = Client()
    client.force_login(demo["zhaomin"].user)
    page = client.get(f"/documents/policies/{made.pk}/")
    assert (
        page.status_code == 200
        and "首问负责" in page.content.decode()
        and 'id="acknowledge"' in page.content.decode()
    )
    assert client.post(f"/documents/policies/{made.pk}/", {"what": "ack"}).status_code == 302
    assert 'id="acknowledged"' in client.get(f"/documents/policies/{made.pk}/").content.decode()
    client.force_login(demo["wangfang"].user)
    page = client.get(f"/documents/policies/{made.pk}/").content.decode()
    assert 'id="readers"' in page and "赵敏" in page
    answer = client.post(
        f"/documents/policies/{made.pk}/",
        {"what": "version", "effective_on": clock.today().isoformat(), "note": "二版"},
    )
    assert answer.status_code == 302 and made.versions.count() == 2
    client.force_login(demo["gaofeng"].user)
    assert client.get(f"/documents/policies/{made.pk}/").status_code == 404


def test_doc1_policy_list_statements_do_not_grow_with_policies(made, act, realty, demo):  # DOC-1
    client = Client()
    auth = bearer(demo["wangfang"].user)

    def statements() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/documents/policies", **auth).status_code == 200
        return len(captured)

    client.get("/api/v1/documents/policies", **auth)  # warm the caches of the request path
    few = statements()
    for n in range(4):
        actions.issue(act("wangfang"), unit=realty, title=f"制度{n}", body=BODY, effective_on=clock.today())
    assert statements() == few
