"""Versions of the pack: lookup by effective date, admin edits, audit, permissions (POL-1)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.errors import DomainError, Invalid, PermissionDenied
from kefu.core.models import AuditEvent
from kefu.engine.policy import actions, api, pack
from kefu.engine.policy.models import PolicyEntry, PolicyVersion
from kefu.org.models import Role

pytestmark = pytest.mark.django_db


def test_the_migration_loads_version_one_with_every_entry(db):  # POL-1
    version = PolicyVersion.objects.get(number=1)
    entries, sha, _ = pack.read()
    assert version.file_sha256 == sha
    assert version.entries.count() == len(entries)
    entry = api.lookup("claims.walk_in_protection")
    assert (entry.value, entry.unit, entry.kind, entry.rule, entry.version) == (
        7,
        "days",
        "calendar_time",
        "CLM-3",
        1,
    )
    assert entry.clause == "到店咨询意向客户期限为报备之日起7天有效"
    assert entry.source == {"seed": "000", "document": "(完整版)客户报备制度"}
    assert entry.duration() == timedelta(days=7)


def test_unknown_key_is_a_clear_domain_error(db):  # POL-1
    with pytest.raises(DomainError) as caught:
        api.lookup("claims.no_such_thing")
    assert caught.value.code == "policy_unknown_key"
    assert caught.value.status == 404
    assert "claims.no_such_thing" in caught.value.zh and "claims.no_such_thing" in caught.value.en


def test_loading_the_same_file_again_creates_no_version(db):  # POL-1
    version, created = actions.load_pack(Actor.system("test"))
    assert not created and version.number == 1
    assert PolicyVersion.objects.count() == 1


def test_loading_a_changed_file_creates_a_new_version_and_keeps_admin_edits(
    db, tmp_path, frozen, admin_actor
):
    # POL-1
    actions.set_value(admin_actor, "care.gift_max", 150, effective_from=frozen.date(), reason="预算收紧")
    text = pack.DEFAULT_PACK.read_text().replace("  value: 90\n", "  value: 60\n", 1)
    changed = tmp_path / "pack.yaml"
    changed.write_text(text)
    version, created = actions.load_pack(Actor.system("test"), changed, effective_from=date(2026, 4, 1))
    assert created and version.number == 3
    later = datetime(2026, 4, 2, tzinfo=UTC)
    assert api.lookup("claims.deposit_protection", at=later).value == 60
    assert api.lookup("care.gift_max", at=later).value == 150  # the administrator's value survives
    assert api.lookup("claims.deposit_protection", at=frozen).value == 90
    again, created_again = actions.load_pack(Actor.system("test"), changed)
    assert not created_again and again.number == 3
    assert AuditEvent.objects.filter(action="policy.load").count() == 1


def test_a_value_changed_from_next_month_applies_from_then(db, frozen, admin_actor):  # POL-1
    before = api.lookup("claims.walk_in_protection")
    next_month = date(2026, 4, 1)
    version = actions.set_value(
        admin_actor, "claims.walk_in_protection", 5, effective_from=next_month, reason="集团决定缩短保护期"
    )
    assert version.number == 2
    assert version.entries.count() == PolicyEntry.objects.filter(version__number=1).count()
    # still v1 today and until the end of March (Shanghai time) …
    assert api.lookup("claims.walk_in_protection").value == 7
    assert api.lookup("claims.walk_in_protection", at=datetime(2026, 3, 31, 15, 59, tzinfo=UTC)).version == 1
    # … v2 from 1 April 00:00 Asia/Shanghai
    april = datetime(2026, 3, 31, 16, 0, tzinfo=UTC)
    changed = api.lookup("claims.walk_in_protection", at=april)
    assert (changed.value, changed.version, changed.edited) == (5, 2, True)
    # the other entries were copied unchanged
    assert api.lookup("claims.deposit_protection", at=april).value == 90
    # a record created under v1 keeps reading v1 by passing its creation time, after the change too
    created_at = frozen
    clock.freeze(datetime(2026, 5, 1, tzinfo=UTC))
    assert api.lookup("claims.walk_in_protection").value == 5
    assert api.lookup("claims.walk_in_protection", at=created_at).value == before.value == 7
    assert api.lookup("claims.walk_in_protection", at=created_at).version == 1


def test_edit_is_audited_with_before_after_and_reason(db, frozen, admin_actor):  # POL-1
    actions.set_value(
        admin_actor, "kpi.satisfaction_min", 95, effective_from=frozen.date(), reason="提高目标"
    )
    event = AuditEvent.objects.get(action="policy.set_value")
    assert event.before == {"key": "kpi.satisfaction_min", "value": "90", "version": 1}
    assert event.after["value"] == "95" and event.after["version"] == 2
    assert event.reason == "提高目标" and event.actor == admin_actor.user
    assert api.lookup("kpi.satisfaction_min").value == 95  # effective today = from now


def test_non_admin_may_not_change_the_pack(demo, actor_of, frozen):  # POL-1
    with pytest.raises(PermissionDenied):
        actions.set_value(
            actor_of(demo["zhaomin"]), "care.gift_max", 100, effective_from=frozen.date(), reason="x"
        )
    assert PolicyVersion.objects.count() == 1


def test_the_seeded_admin_role_holds_policy_manage_and_may_edit(policy_admin, frozen):  # POL-1
    assert "policy.manage" in Role.objects.get(code="admin").permissions
    version = actions.set_value(policy_admin, "care.gift_max", 180, effective_from=frozen.date(), reason="x")
    assert version.created_by == policy_admin.user


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        ("claims.walk_in_protection", 7, "policy_unchanged"),
        ("claims.walk_in_protection", -1, "policy_value_invalid"),
        ("sla.phone_rings", Decimal("2.5"), "policy_value_invalid"),
        ("kpi.satisfaction_min", 101, "policy_value_invalid"),
        ("retention.min_months", Decimal("3.5"), "policy_value_invalid"),
        ("claims.walk_in_protection", "abc", "policy_value_invalid"),
    ],
)
def test_invalid_values_are_refused(db, frozen, admin_actor, key, value, code):  # POL-1
    with pytest.raises(Invalid) as caught:
        actions.set_value(admin_actor, key, value, effective_from=frozen.date(), reason="x")
    assert caught.value.code == code


def test_no_retroactive_change_and_versions_stay_in_date_order(db, frozen, admin_actor):  # POL-1
    with pytest.raises(Invalid) as caught:
        actions.set_value(admin_actor, "care.gift_max", 100, effective_from=date(2026, 3, 1), reason="x")
    assert caught.value.code == "policy_effective_in_past"
    actions.set_value(admin_actor, "care.gift_max", 100, effective_from=date(2026, 6, 1), reason="x")
    with pytest.raises(Invalid) as caught:
        actions.set_value(admin_actor, "care.gift_max", 120, effective_from=date(2026, 5, 1), reason="x")
    assert caught.value.code == "policy_effective_before_latest"
    with pytest.raises(Invalid) as caught:
        actions.set_value(admin_actor, "care.gift_max", 120, effective_from=date(2026, 7, 1), reason=" ")
    assert caught.value.code == "policy_reason_required"


def test_unknown_key_cannot_be_set(db, frozen, admin_actor):  # POL-1
    with pytest.raises(DomainError) as caught:
        actions.set_value(admin_actor, "claims.nope", 1, effective_from=frozen.date(), reason="x")
    assert caught.value.code == "policy_unknown_key"


def test_an_emptied_database_reloads_the_shipped_pack_on_first_lookup(db):  # POL-1
    PolicyVersion.objects.all().delete()
    assert api.lookup("sla.phone_rings").value == 3
    assert PolicyVersion.objects.get().number == 1


def test_lookup_costs_one_query_once_cached(db, django_assert_num_queries):  # POL-1
    api.lookup("sla.phone_rings")
    with django_assert_num_queries(1):
        api.lookup("sla.major_quality_notice")


@pytest.mark.pg_only
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_edits_make_exactly_one_new_version(admin_user):  # POL-1
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("parallel connections: PostgreSQL")
    actions.ensure_loaded()
    barrier = threading.Barrier(2)
    results = []

    def edit(value):
        try:
            barrier.wait()
            actions.set_value(
                Actor(user=admin_user, origin="test"),
                "care.gift_max",
                value,
                effective_from=date.today() + timedelta(days=400),
                reason="并发",
            )
            results.append("ok")
        except DomainError as error:
            results.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=edit, args=(v,)) for v in (150, 160)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # either the edits were serialised (v2 then v3) or one lost the race for v2 with a clear 409 —
    # never a crash, never two versions with one number
    assert len(results) == 2 and set(results) <= {"ok", "policy_concurrent_change"} and "ok" in results
    numbers = sorted(PolicyVersion.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 2 + results.count("ok")))
