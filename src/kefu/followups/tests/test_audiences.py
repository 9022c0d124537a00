"""Audiences (CARE-1, CSAT-1): the customers a campaign reaches by its rule, streamed in batches."""

import pytest

from kefu.core.errors import Invalid
from kefu.customers import actions as customer_actions
from kefu.followups.queries import audiences


@pytest.fixture
def customers(demo, actor_of):
    wangfang = actor_of(demo["wangfang"])
    made = []
    for i in range(30):
        made.append(
            customer_actions.create_customer(
                wangfang, name=f"范围客户{i}", audience="B" if i % 3 == 0 else "A", kind="person"
            )
        )
    return made


def test_care1_rule_selects_live_customers_of_the_audience(demo, customers):
    unit = demo["wangfang"].unit
    keys = set(audiences.matching(unit, {"audiences": ["B"]}).values_list("pk", flat=True))
    assert {c.pk for c in customers if c.audience == "B"} <= keys
    assert not keys & {c.pk for c in customers if c.audience == "A"}


def test_csat1_sample_is_a_fixed_share_per_campaign(demo, customers):
    unit = demo["wangfang"].unit
    everyone = audiences.count(unit, {})
    first = list(audiences.matching(unit, {"sample_percent": 30}, seed=7).values_list("pk", flat=True))
    again = list(audiences.matching(unit, {"sample_percent": 30}, seed=7).values_list("pk", flat=True))
    assert first == again
    assert 0 < len(first) < everyone


def test_batches_stream_every_key_once_and_resume_after_a_checkpoint(demo, customers):
    unit = demo["wangfang"].unit
    streamed = [pk for batch in audiences.batches(unit, {}, size=7) for pk in batch]
    assert streamed == sorted(streamed) and len(streamed) == len(set(streamed)) == audiences.count(unit, {})
    resumed = [pk for batch in audiences.batches(unit, {}, size=7, after=streamed[9]) for pk in batch]
    assert resumed == streamed[10:]


@pytest.mark.parametrize(
    "rule", [{"tiers": ["gold"]}, {"colour": "red"}, {"sample_percent": 0}, {"closed_within_days": "x"}]
)
def test_a_bad_rule_is_refused_with_a_chinese_message(rule):
    with pytest.raises(Invalid) as refused:
        audiences.clean(rule)
    assert "客户范围规则" in refused.value.zh
