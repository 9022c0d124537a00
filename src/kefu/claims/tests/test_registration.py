"""Registration, pre-check, protection and expiry (CLM-1…CLM-5, CLM-10)."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType

from kefu.claims import actions, queries
from kefu.claims.models import Claim, ClaimKind, ClaimState
from kefu.core import clock, decisions
from kefu.core.crypto import blind_index
from kefu.core.errors import Conflict, Invalid, NotFound
from kefu.core.models import AuditEvent
from kefu.customers.models import Customer
from kefu.engine.notifications.models import Notification
from kefu.engine.policy.api import lookup
from kefu.engine.workflow.actions import deadlines
from kefu.engine.workflow.models import Timer

pytestmark = pytest.mark.django_db


def test_registration_needs_name_phone_and_address_in_full(demo, act, customer_data, frozen):  # CLM-2
    huanglei = act("huanglei")
    for bad, field in (
        ({"name": ""}, "name"),
        ({"phone": "1390"}, "phone"),
        ({"address": "杭州"}, "address"),
    ):
        with pytest.raises(Invalid) as err:
            actions.register(huanglei, customer=customer_data(**bad))
        assert err.value.code == "claim_incomplete" and field in err.value.fields
    index = blind_index("13900001111")
    assert not Claim.objects.filter(phone_index=index).exists()
    assert not Customer.objects.filter(phone_index=index).exists()


def test_walk_in_protected_seven_days_from_the_pack(demo, act, customer_data, frozen):  # CLM-3
    claim = actions.register(act("huanglei"), customer=customer_data())
    entry = lookup("claims.walk_in_protection", at=frozen)
    assert claim.protected_until == entry.due(frozen) == frozen + timedelta(days=int(entry.value))
    assert claim.policy_version == entry.version and claim.state == ClaimState.LIVE
    assert claim.customer.phone == "13900001111" and claim.customer.owner == demo["huanglei"]
    decision = decisions.for_object(claim).get()
    assert decision.rule == "CLM-3" and "claims.walk_in_protection" in decision.inputs


def test_deposit_upgrades_to_ninety_days_from_the_deposit(demo, act, customer_data, frozen):  # CLM-3
    claim = actions.register(act("huanglei"), customer=customer_data())
    clock.advance(timedelta(days=3))
    claim = actions.record_deposit(act("huanglei"), claim)
    deposit = lookup("claims.deposit_protection", at=frozen)
    assert claim.kind == ClaimKind.DEPOSIT and claim.deposit_at == clock.now()
    assert (
        claim.protected_until == deposit.due(clock.now()) == clock.now() + timedelta(days=int(deposit.value))
    )
    timer = Timer.objects.get(name="expiry", state="running", object_id=str(claim.pk))
    assert timer.due_at == claim.protected_until and timer.policy_key == "claims.deposit_protection"
    with pytest.raises(NotFound):  # someone else's claim
        actions.record_deposit(act("heping"), claim)


def test_deposit_at_registration(demo, act, customer_data, frozen):  # CLM-3
    claim = actions.register(act("huanglei"), customer=customer_data(), kind="deposit")
    assert claim.protected_until == frozen + lookup("claims.deposit_protection").duration()


def test_second_registration_is_refused_with_the_until_time_and_no_owner(
    demo, act, customer_data, frozen, wuqiang
):  # CLM-4
    claim = actions.register(act("huanglei"), customer=customer_data())
    with pytest.raises(Conflict) as err:
        actions.register(act("wuqiang"), customer=customer_data(phone="+86 139-0000-1111", name="张三"))
    assert err.value.code == "claim_protected" and err.value.status == 409
    body = err.value.as_envelope()["error"]
    assert body["until"] == claim.protected_until.isoformat()
    assert "黄磊" not in str(body) and "huanglei" not in str(body)
    assert (
        Claim.objects.filter(phone_index=blind_index("13900001111")).count() == 1
        and Customer.objects.filter(phone_index=blind_index("13900001111")).count() == 1
    )


def test_precheck_says_yes_no_and_until_and_is_audited(demo, act, customer_data, frozen, wuqiang):  # CLM-1
    huanglei = act("huanglei")
    assert queries.check(huanglei, "13900001111") == {"protected": False, "until": None}
    claim = actions.register(huanglei, customer=customer_data())
    seen = queries.check(act("wuqiang"), "139 0000 1111")
    assert set(seen) == {"protected", "until"}  # never the owner for a plain salesperson
    assert seen["protected"] is True and seen["until"] == claim.protected_until
    events = AuditEvent.objects.filter(action="claims.check").order_by("id")
    assert events.count() == 2
    assert all("13900001111" not in str(e.after) + e.object_repr for e in events)
    assert events.last().object_id == str(claim.customer.pk)


def test_precheck_shows_the_owner_only_to_the_register_keepers_and_the_owner(
    demo, act, customer_data, frozen
):  # CLM-1
    actions.register(act("heping"), customer=customer_data())
    assert "owner" not in queries.check(act("huanglei"), "13900001111")  # sales
    assert queries.check(act("majun"), "13900001111")["owner"] == "何平"  # 行政部 of the same subsidiary
    assert queries.check(act("heping"), "13900001111")["owner"] == "何平"  # the owner themself


def test_issue13_precheck_does_not_reveal_the_owner_to_a_site_lead(demo, act, customer_data, frozen):
    # CLM-1 "员工不准私自翻阅他人报备": 何平 (案场负责人, claim.view_owner over his team) registers
    # customers too; his pre-check of 黄磊's customer says protected and until when, never who
    claim = actions.register(act("huanglei"), customer=customer_data())
    seen = queries.check(act("heping"), "13900001111")
    assert seen == {"protected": True, "until": claim.protected_until}
    assert queries.check(act("majun"), "13900001111")["owner"] == "黄磊"  # the registers' keeper


def test_others_cannot_read_the_claim(demo, act, customer_data, frozen):  # CLM-1
    claim = actions.register(act("huanglei"), customer=customer_data())
    with pytest.raises(NotFound):
        queries.claim(act("linxiao"), claim.pk)
    assert queries.claim(act("majun"), claim.pk) == claim
    mine = list(queries.claims(act("huanglei"), mine=True))
    assert claim in mine and {c.owner for c in mine} == {demo["huanglei"]}


def test_expiry_timer_expires_the_claim_with_a_decision(demo, act, customer_data, frozen):  # CLM-5
    claim = actions.register(act("huanglei"), customer=customer_data())
    clock.freeze(claim.protected_until + timedelta(seconds=1))
    deadlines.sweep()
    claim.refresh_from_db()
    assert claim.state == ClaimState.EXPIRED
    assert any("超时" in d.outcome for d in decisions.for_object(claim))
    assert queries.check(act("heping"), "13900001111")["protected"] is False
    second = actions.register(act("heping"), customer=customer_data())  # anyone may register now
    assert second.owner == demo["heping"] and second.customer == claim.customer


def test_lapsed_claim_ends_at_registration_even_before_the_sweep(demo, act, customer_data, frozen):  # CLM-5
    claim = actions.register(act("huanglei"), customer=customer_data())
    clock.freeze(claim.protected_until)
    second = actions.register(act("heping"), customer=customer_data())
    claim.refresh_from_db()
    assert claim.state == ClaimState.EXPIRED and second.state == ClaimState.LIVE


def test_customer_choice_refuses_grabbing(demo, act, customer_data, frozen):  # CLM-5
    claim = actions.register(act("huanglei"), customer=customer_data())
    with pytest.raises(Conflict):
        actions.record_choice(act("majun"), claim.customer, chosen=demo["huanglei"], evidence="客户电话确认")
    clock.freeze(claim.protected_until + timedelta(minutes=1))
    actions.record_choice(
        act("majun"), claim.customer, chosen=demo["huanglei"], evidence="客户电话确认仍由黄磊跟进"
    )
    with pytest.raises(Conflict) as err:
        actions.register(act("heping"), customer=customer_data())
    assert err.value.code == "claim_grab_refused" and "CLM-5" in err.value.zh
    again = actions.register(act("huanglei"), customer=customer_data())
    assert again.state == ClaimState.LIVE


def test_reminder_two_days_before_expiry_notifies_the_owner(demo, act, customer_data, frozen):  # CLM-10
    """CLM-10: its own message (customer, protected-until time, rule) once, and its own decision."""
    claim = actions.register(act("huanglei"), customer=customer_data())
    before = lookup("claims.expiry_reminder_before").duration()
    assert claim.remind_at == claim.protected_until - before
    timer = Timer.objects.get(
        content_type=ContentType.objects.get_for_model(Claim), object_id=str(claim.pk), state="running"
    )
    assert timer.warn_at is None  # no generic timer.warning for claims
    told = Notification.objects.filter(recipient=demo["huanglei"].user)
    clock.freeze(claim.remind_at - timedelta(seconds=1))
    assert actions.remind_due() == 0 and deadlines.sweep() == 0
    assert not told.filter(template__in=["claims.expiry_reminder", "timer.warning"]).exists()
    clock.freeze(claim.remind_at + timedelta(seconds=1))
    assert actions.remind_due() == 1
    assert actions.remind_due() == 0  # exactly once
    deadlines.sweep()
    assert not told.filter(template="timer.warning").exists()
    note = told.get(template="claims.expiry_reminder")
    until = clock.local(claim.protected_until).strftime("%Y-%m-%d %H:%M")
    assert "张先生" in note.subject and until in note.subject and "CLM-10" in note.body
    decision = [d for d in decisions.for_object(claim) if d.rule == "CLM-10"]
    assert len(decision) == 1 and "reminded" in decision[0].outcome
    assert "claims.expiry_reminder_before" in decision[0].inputs
    page = _client(demo, "huanglei").get(f"/claims/{claim.pk}/").content.decode()
    assert "CLM-10" in page  # the claim's "why" panel
    claim.refresh_from_db()
    assert claim.state == ClaimState.LIVE and claim.remind_at is None


def test_clm10_deposit_plans_a_new_reminder_and_ended_claims_get_none(demo, act, customer_data, frozen):
    """CLM-10: a deposit moves the reminder to the new end; a claim ended early is not reminded."""
    claim = actions.register(act("huanglei"), customer=customer_data())
    clock.advance(timedelta(days=1))
    claim = actions.record_deposit(act("huanglei"), claim)
    before = lookup("claims.expiry_reminder_before").duration()
    claim.refresh_from_db()
    assert claim.remind_at == claim.protected_until - before
    other = actions.register(act("heping"), customer=customer_data(phone="13900002222"))
    actions.end_now(act("majun"), other, reason="客户明确拒绝")
    clock.freeze(other.protected_until)
    assert actions.remind_due() == 0
    assert not Notification.objects.filter(template="claims.expiry_reminder").exists()
    clock.freeze(claim.remind_at + timedelta(minutes=1))
    assert actions.remind_due() == 1


def _client(demo, username):
    from django.test import Client

    client = Client()
    client.force_login(demo[username].user)
    return client


def test_live_claim_for(demo, act, customer_data, frozen):  # CLM-4 (used by customer governance)
    claim = actions.register(act("huanglei"), customer=customer_data())
    assert queries.live_claim_for(claim.customer) == claim
    actions.end_now(act("majun"), claim, reason="客户要求释放", release=True)
    assert queries.live_claim_for(claim.customer) is None
