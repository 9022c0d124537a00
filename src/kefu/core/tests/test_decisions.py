"""Decision records and the "为什么 / why" panel (POL-3)."""

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from kefu.core import decisions
from kefu.core.models import Decision
from kefu.engine.policy import api
from kefu.org.models import Unit

pytestmark = pytest.mark.django_db


def test_a_decision_is_recorded_for_any_record(demo, frozen):  # POL-3
    employee = demo["zhaomin"]
    decision = decisions.record(
        employee,
        rule="LV-6",
        outcome="提出扣除当月奖金",
        inputs={"rest_day": datetime(2026, 3, 1, tzinfo=UTC).date(), "amount": Decimal("200.5")},
        policy_version=1,
        clause="扣除当月奖金",
    )
    assert decision.made_at == frozen and decision.actor is None
    assert decision.inputs == {"rest_day": "2026-03-01", "amount": "200.5"}
    assert list(decisions.for_object(employee)) == [decision]
    assert list(decisions.for_object(demo["lina"])) == []
    assert not decisions.for_object(Unit.objects.get(pk=employee.unit_id)).exists()  # same id, other type?


def test_record_from_a_policy_entry_carries_rule_version_clause_and_value(demo, admin_actor, frozen):  # POL-3
    unit = Unit.objects.get(code="hc-realty")
    entry = api.lookup("claims.walk_in_protection")
    decision = decisions.record_from_entry(
        unit, entry, outcome="报备已过期", inputs={"registered": "2026-02-20"}, actor=admin_actor
    )
    assert (decision.rule, decision.policy_version) == ("CLM-3", 1)
    assert decision.clause == "到店咨询意向客户期限为报备之日起7天有效"
    assert decision.source == "000 · (完整版)客户报备制度"
    assert decision.inputs == {
        "policy_name": entry.name_zh,
        "claims.walk_in_protection": "7 天",
        "registered": "2026-02-20",
    }
    assert decision.actor == admin_actor.user


def test_the_why_panel_renders_each_decision(demo, frozen):  # POL-3
    employee = demo["zhaomin"]
    entry = api.lookup("leave.approval_within")
    decisions.record_from_entry(
        employee, entry, outcome="审批超时，已升级", inputs={"submitted": "03-02 10:00"}
    )
    html = Template("{% load decisions %}{% why obj %}").render(Context({"obj": employee}))
    assert "为什么" in html
    assert "LV-2" in html and "审批超时，已升级" in html
    assert '<q class="policy-clause">案场负责人应在收到申请后的1个工作日内进行审批</q>' in html
    assert "000 · 案场客服休息报备制度" in html
    assert "2026-03-02 10:00" in html  # Asia/Shanghai
    assert "03-02 10:00" in html and "1 工作日" in html
    empty = Template("{% load decisions %}{% why obj %}").render(Context({"obj": demo["lina"]}))
    assert "LV-2" not in empty


def test_the_why_panel_reads_as_a_chinese_sentence(demo, frozen):  # issue 13 "为什么" panels in Chinese
    """依据 rule + clause, 输入 by Chinese name with local times, 元, 是/否 and no None, 结论 in Chinese."""
    employee = demo["zhaomin"]
    due = datetime(2026, 10, 1, 6, 16, tzinfo=UTC)  # 14:16 in Asia/Shanghai
    decisions.record(
        employee,
        rule="SLA-2",
        outcome="awaiting approval by 张三 / 待 张三 批准后生效",
        inputs={
            "due_at": due,
            "breached_at": due.isoformat(),
            "checked_at": None,
            "amount": "3000",
            "threshold": 2000,
            "skipped": True,
            "calendar": "office",
            "policy_key": "sla.first_response",
        },
        policy_version=1,
        clause="首次响应",
    )
    with translation.override("zh-hans"):
        html = Template("{% load decisions %}{% why obj %}").render(Context({"obj": employee}))
    text = re.sub(r"<[^>]+>", " ", html)
    for word in (
        "依据",
        "输入",
        "结论",
        "截止时间",
        "超时时间",
        "检查时间",
        "金额",
        "审批限额",
        "越过",
        "日历",
    ):
        assert word in text
    assert "2026-10-01 14:16" in text and "3000 元" in text and "2000 元" in text and "是" in text
    assert "办公日历" in text and "待 张三 批准后生效" in text
    for raw in (
        "due_at",
        "breached_at",
        "checked_at",
        "amount",
        "threshold",
        "None",
        "T06:16",
        "+00:00",
        "awaiting",
        "office",
        "sla.first_response",
        "True",
    ):
        assert raw not in text, raw


def test_decisions_are_indexed_by_object(db):  # POL-3
    index_fields = [tuple(i.fields) for i in Decision._meta.indexes]
    assert ("content_type", "object_id") in index_fields
