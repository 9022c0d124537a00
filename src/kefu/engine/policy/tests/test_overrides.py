"""Subsidiary overrides only in the stricter direction (POL-2)."""

from datetime import UTC, date, datetime

import pytest
from django.utils import translation

from kefu.core.errors import DomainError, Invalid, PermissionDenied
from kefu.core.models import AuditEvent
from kefu.engine.policy import actions, api
from kefu.org.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(demo):
    return {u.code: u for u in Unit.objects.all()}


def test_a_laxer_override_is_refused_naming_the_group_value(units, admin_actor, frozen):  # POL-2
    realty = units["hc-realty"]
    with pytest.raises(DomainError) as caught:
        actions.set_override(
            admin_actor, realty, "claims.walk_in_protection", 10, frozen.date(), reason="想延长"
        )
    error = caught.value
    assert error.code == "policy_override_laxer"
    assert (
        error.zh == "华辰置业有限公司 的「到店咨询意向客户保护期」只能更严格：集团值为 7 天，提交 10 天"
    )  # issue 13: no key
    assert error.en == (
        "华辰置业有限公司 may only make “Protection period of a walk-in prospect” (claims.walk_in_protection) stricter: "
        "the group value is 7 days, submitted 10 days"
    )
    with translation.override("en"):
        assert error.as_envelope()["error"]["message"] == error.en
    # "higher is stricter" entries refuse a lower value
    with pytest.raises(DomainError, match="90%"):
        actions.set_override(admin_actor, realty, "kpi.satisfaction_min", 85, frozen.date(), reason="x")
    assert not api.lookup("claims.walk_in_protection", unit=realty).overridden


def test_a_stricter_override_applies_to_that_subsidiary_and_the_units_below_only(units, admin_actor, frozen):
    # POL-2
    realty, water = units["hc-realty"], units["hc-water"]
    actions.set_override(
        admin_actor, realty, "claims.walk_in_protection", 5, frozen.date(), reason="本公司从严"
    )
    actions.set_override(admin_actor, realty, "kpi.satisfaction_min", 95, frozen.date(), reason="本公司从严")
    mine = api.lookup("claims.walk_in_protection", unit=realty)
    assert (mine.value, mine.group_value, mine.override_unit_id) == (5, 7, realty.pk)
    assert api.lookup("kpi.satisfaction_min", unit=realty).value == 95
    # a department and a team of the subsidiary resolve to it
    assert api.lookup("claims.walk_in_protection", unit=units["realty-cs"]).value == 5
    assert api.lookup("claims.walk_in_protection", unit=units["realty-cs-hotline"]).value == 5
    # another subsidiary, the group and group departments keep the group value
    assert api.lookup("claims.walk_in_protection", unit=water).value == 7
    assert api.lookup("claims.walk_in_protection", unit=units["hc-group"]).value == 7
    assert api.lookup("claims.walk_in_protection", unit=units["hc-cs-centre"]).value == 7
    assert api.lookup("claims.walk_in_protection").value == 7
    event = AuditEvent.objects.filter(action="policy.set_override").first()
    assert event.after["group_value"] in ("7", "90") and event.reason == "本公司从严"


def test_an_equal_value_is_accepted_and_keeps_the_standard_if_the_group_relaxes(units, admin_actor, frozen):
    # POL-2: "其相关标准和要求不低于集团制度" — pinning today's value is allowed
    realty = units["hc-realty"]
    actions.set_override(admin_actor, realty, "care.gift_max", 200, frozen.date(), reason="保持")
    actions.set_value(admin_actor, "care.gift_max", 300, effective_from=date(2026, 4, 1), reason="集团放宽")
    april = datetime(2026, 4, 2, tzinfo=UTC)
    assert api.lookup("care.gift_max", at=april).value == 300
    assert api.lookup("care.gift_max", at=april, unit=realty).value == 200


def test_an_override_never_makes_a_value_laxer_when_the_group_tightens_later(units, admin_actor, frozen):
    # POL-2
    realty = units["hc-realty"]
    actions.set_override(admin_actor, realty, "care.gift_max", 150, frozen.date(), reason="从严")
    actions.set_value(admin_actor, "care.gift_max", 100, effective_from=date(2026, 4, 1), reason="集团收紧")
    april = datetime(2026, 4, 2, tzinfo=UTC)
    entry = api.lookup("care.gift_max", at=april, unit=realty)
    assert (entry.value, entry.overridden) == (100, False)
    # and a new override is checked against the scheduled stricter group value too
    with pytest.raises(DomainError) as caught:
        actions.set_override(admin_actor, realty, "care.gift_max", 120, frozen.date(), reason="x")
    assert "集团值为 100 元" in caught.value.zh


def test_overrides_are_effective_dated(units, admin_actor, frozen):  # POL-2
    realty = units["hc-realty"]
    actions.set_override(admin_actor, realty, "sla.major_quality_notice", 20, date(2026, 4, 1), reason="x")
    assert api.lookup("sla.major_quality_notice", unit=realty).value == 30
    assert (
        api.lookup("sla.major_quality_notice", unit=realty, at=datetime(2026, 4, 2, tzinfo=UTC)).value == 20
    )


def test_only_subsidiaries_and_only_administrators(units, admin_actor, demo, actor_of, frozen):  # POL-2
    with pytest.raises(Invalid) as caught:
        actions.set_override(admin_actor, units["realty-cs"], "care.gift_max", 100, frozen.date(), reason="x")
    assert caught.value.code == "policy_override_not_subsidiary"
    with pytest.raises(PermissionDenied):
        actions.set_override(
            actor_of(demo["wangfang"]), units["hc-realty"], "care.gift_max", 100, frozen.date(), reason="x"
        )
