"""CUS-9 timeline in words: labelled actions, field changes by name, masked personal data for viewers
without full view (SEC-2), grouped by day newest first, a fixed number of queries."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.core import clock
from kefu.customers import actions, timeline
from kefu.customers.queries import archive as queries

pytestmark = pytest.mark.django_db
PHONE = "13912345678"
NEW_PHONE = "13655556666"
RAW_CODES = ("customer.update", "customer.create", "customers.customer.assign", "customer.change_request")


def _story(make_customer, demo, actor_of):
    """Created Monday; changed, assigned and contacted on Tuesday; a change request on Wednesday."""
    manager = actor_of(demo["wangfang"])
    customer = make_customer(name="时间线客户", phone=PHONE, needs="住宅", owner=demo["huanglei"])
    clock.advance(timedelta(days=1))
    actions.update_customer(manager, customer, needs="商铺", stage="maintenance", phone=NEW_PHONE)
    actions.assign(manager, customer, demo["zhaomin"])
    actions.record_contact(manager, customer, "电话沟通购房需求")
    clock.advance(timedelta(days=1))
    actions.request_change(actor_of(demo["huanglei"]), customer, {"phone": "13700001111"}, reason="换号")
    return customer


def test_cus9_timeline_labels_actions_and_fields_in_chinese(make_customer, demo, actor_of, client, frozen):
    # CUS-9: the page names what happened, not audit codes
    customer = _story(make_customer, demo, actor_of)
    client.force_login(demo["wangfang"].user)
    body = client.get(f"/customers/{customer.pk}/").content.decode()
    for code in RAW_CODES:
        assert code not in body
    for label in (
        "建立客户档案",
        "修改客户资料",
        "分配客服专员",
        "完成首次沟通",
        "提交变更申请，待信息员核实",
        "沟通记录",
    ):
        assert label in body
    assert "需求产品 / 服务：住宅 → 商铺" in body  # field name, old → new
    assert (
        "生命周期阶段：拓展 (Expansion) → 维护 (Maintenance)" in body or "生命周期阶段：拓展 → 维护" in body
    )
    assert f"手机号：已改为 {NEW_PHONE}" in body  # full viewer: the current value in full
    assert "电话沟通购房需求" in body and "赵敏" in body


def test_cus9_timeline_masks_personal_data_without_full_view(make_customer, demo, actor_of, client, frozen):
    # CUS-9 + SEC-2: 信息员 may view but not view_full — phones in the timeline are masked
    customer = _story(make_customer, demo, actor_of)
    client.force_login(demo["hemei"].user)
    body = client.get(f"/customers/{customer.pk}/").content.decode()
    assert NEW_PHONE not in body and "13700001111" not in body and PHONE not in body
    assert "手机号：已改为 136****6666" in body
    assert "手机号 → 137****1111" in body  # the proposed value of the change request, masked
    client.force_login(demo["wangfang"].user)
    assert "手机号 → 13700001111" in client.get(f"/customers/{customer.pk}/").content.decode()


def test_cus9_timeline_grouped_by_day_newest_first(make_customer, demo, actor_of, client, frozen):
    customer = _story(make_customer, demo, actor_of)
    days = timeline.by_day(queries.timeline(actor_of(demo["wangfang"]), customer))
    assert [d for d, _ in days] == [
        datetime(2026, 3, 4).date(),
        datetime(2026, 3, 3).date(),
        datetime(2026, 3, 2).date(),
    ]
    for _day, entries in days:
        assert entries == sorted(entries, key=lambda e: e.at, reverse=True)
    client.force_login(demo["wangfang"].user)
    body = client.get(f"/customers/{customer.pk}/").content.decode()
    body = body[body.index('class="timeline-day"') :]
    assert body.index("2026-03-04") < body.index("2026-03-03") < body.index("2026-03-02")


def test_cus9_by_day_uses_the_shanghai_day():
    late = timeline.Entry(
        at=datetime(2026, 3, 2, 16, 30, tzinfo=UTC), kind="audit", title="a"
    )  # 00:30 on 3 Mar
    early = timeline.Entry(
        at=datetime(2026, 3, 2, 15, 30, tzinfo=UTC), kind="audit", title="b"
    )  # 23:30 on 2 Mar
    assert [(d.isoformat(), [e.title for e in es]) for d, es in timeline.by_day([early, late])] == [
        ("2026-03-03", ["a"]),
        ("2026-03-02", ["b"]),
    ]


def test_cus9_unknown_actions_are_named_not_hidden(make_customer, demo, actor_of):
    from kefu.core import audit

    customer = make_customer()
    audit.record(actor_of(demo["wangfang"]), "customer.something_new", customer)
    titles = {e.title: e.detail for e in queries.timeline(actor_of(demo["wangfang"]), customer)}
    assert titles["其他操作"] == "customer.something_new"
    timeline.label_action("customer.something_new", "新功能")
    try:
        assert "新功能" in {e.title for e in queries.timeline(actor_of(demo["wangfang"]), customer)}
    finally:
        timeline.ACTION_LABELS.pop("customer.something_new")


def test_cus9_detail_page_query_count_does_not_grow_with_history(
    make_customer, demo, actor_of, client, frozen
):
    manager = actor_of(demo["wangfang"])
    customer = make_customer(phone=PHONE, owner=demo["huanglei"])
    client.force_login(demo["wangfang"].user)
    client.get(f"/customers/{customer.pk}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/customers/{customer.pk}/")
    for i in range(6):
        clock.advance(timedelta(hours=5))
        actions.update_customer(manager, customer, needs=f"需求{i}", region=f"区域{i}")
        actions.record_contact(manager, customer, f"沟通{i}")
    actions.request_change(actor_of(demo["huanglei"]), customer, {"needs": "车位"})
    with CaptureQueriesContext(connection) as many:
        client.get(f"/customers/{customer.pk}/")
    assert len(many) <= len(few) + 1  # the change request list appears once there is one
