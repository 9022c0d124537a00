"""Annual and work plans (DOC-1): items with owners and due dates; progress by the owner or a manager
(percent and status, each report kept; 100 % is done); overdue = past due and not done, from the clock."""

from datetime import timedelta

import pytest
from django.test import Client

from kefu.core import clock
from kefu.core.errors import Invalid, NotFound, PermissionDenied
from kefu.documents.actions import plans as actions
from kefu.documents.models import ProgressUpdate
from kefu.documents.queries import plans as queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(act, realty, demo, frozen):
    today = clock.today()
    return actions.create_plan(
        act("wangfang"),
        unit=realty,
        kind="annual",
        year=today.year,
        title="年度工作计划",
        items=[
            actions.ItemIn("制度汇编", demo["lina"], today + timedelta(days=10)),
            actions.ItemIn("回访全覆盖", demo["wujing"], today + timedelta(days=2)),
        ],
    )


def test_doc1_progress_by_owner_and_overdue_from_the_clock(plan, act, demo):  # DOC-1
    first, second = plan.items.order_by("position")
    actions.report_progress(act("lina"), first, percent=40, status="in_progress", note="初稿完成")
    with pytest.raises(PermissionDenied):
        actions.report_progress(act("zhaomin"), second, percent=10, status="in_progress")  # not hers
    with pytest.raises(Invalid):
        actions.report_progress(act("wujing"), second, percent=120, status="in_progress")
    assert [i.overdue for i in queries.items(plan)] == [False, False]
    clock.advance(timedelta(days=3))
    rows = queries.items(plan)
    assert [i.overdue for i in rows] == [False, True]  # past due, not done
    assert queries.plan(act("wangfang"), plan.pk).overdue_count == 1
    done = actions.report_progress(act("wangfang"), second, percent=100, status="in_progress")
    assert done.status == "done" and done.done_on == clock.today()
    assert [i.overdue for i in queries.items(plan)] == [False, False]
    assert ProgressUpdate.objects.filter(item__plan=plan).count() == 2


def test_doc1_plan_scope_and_owner_check(plan, act, demo, realty):  # DOC-1
    with pytest.raises(NotFound):
        queries.plan(act("gaofeng"), plan.pk)
    assert queries.plan(act("lina"), plan.pk)  # a supervisor (documents.view) and an item owner
    with pytest.raises(PermissionDenied):
        actions.add_item(act("gaofeng"), plan, actions.ItemIn("越权", demo["lina"], clock.today()))
    with pytest.raises(Invalid):  # the owner must be of the plan's subsidiary
        actions.add_item(act("wangfang"), plan, actions.ItemIn("外单位负责", demo["lvxin"], clock.today()))
    with pytest.raises(Invalid):
        actions.create_plan(act("wangfang"), unit=realty, kind="annual", year=plan.year, title="年度工作计划")


def test_doc1_plan_page_reports_progress(plan, act, demo):  # DOC-1
    client = Client()
    client.force_login(demo["lina"].user)
    item = plan.items.order_by("position").first()
    answer = client.post(
        f"/documents/plans/{plan.pk}/",
        {"what": "progress", "item": item.pk, "percent": 55, "status": "in_progress", "note": "推进中"},
    )
    assert answer.status_code == 302
    item.refresh_from_db()
    assert item.percent == 55
    bad = client.post(f"/documents/plans/{plan.pk}/", {"what": "progress", "item": item.pk, "percent": "x"})
    assert bad.status_code == 400 and "完成比例" in bad.content.decode()
    late = actions.add_item(
        act("wangfang"), plan, actions.ItemIn("逾期事项", demo["lina"], clock.today() - timedelta(days=1))
    )
    page = client.get(f"/documents/plans/{plan.pk}/").content.decode()
    assert f'id="item-{late.pk}" class="doc-item doc-overdue"' in page and page.count("doc-overdue") == 1
