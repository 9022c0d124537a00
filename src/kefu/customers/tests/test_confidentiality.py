"""SEC-3 default 保密期限 from the policy pack: set with the level, used by automatic declassification,
quoted in the "为什么" panel; refused in the past; the same through the pages and the API."""

from datetime import date, timedelta

import pytest
from django.conf import settings

from kefu.core import clock
from kefu.core.decisions import for_object
from kefu.core.errors import DomainError
from kefu.customers import actions
from kefu.customers.models import Confidentiality, Customer, CustomerChange
from kefu.engine.policy.api import lookup

pytestmark = pytest.mark.django_db
CLAUSE = "保密期限届满,自行解密"


def _period_decisions(customer):
    return [d for d in for_object(customer) if d.rule == "SEC-3" and "period" in d.outcome]


def test_sec3_default_period_comes_from_the_policy_pack(make_customer, frozen):
    # SEC-3: created 2026-03-02 with the default level and no period → until 2029-03-02 (36 months)
    entry = lookup("customers.confidentiality_period")
    assert (entry.value, entry.unit, entry.rule) == (36, "months", "SEC-3")
    # the seeds say a period is set, not how long: 36 months is 本系统默认值 and quotes no clause (issue 13)
    assert entry.default_not_from_seeds and entry.clause == ""
    customer = make_customer()
    assert customer.confidentiality == Confidentiality.SECRET
    assert customer.confidential_until == date(2029, 3, 2)
    decision = _period_decisions(customer)[0]
    assert decision.clause == "" and decision.policy_version == entry.version
    assert decision.inputs["customers.confidentiality_period"] == "36 个月（本系统默认值）"
    # an explicit period is kept; an explicit "none" level has none
    assert make_customer(confidential_until=date(2027, 1, 1)).confidential_until == date(2027, 1, 1)
    plain = make_customer(confidentiality="none")
    assert plain.confidential_until is None and not _period_decisions(plain)


def test_sec3_level_set_later_without_period_gets_the_default(make_customer, demo, actor_of, frozen):
    # SEC-3: the period starts the day the level is set; history and the decision name it
    manager = actor_of(demo["wangfang"])
    customer = make_customer(confidentiality="none")
    clock.advance(timedelta(days=30))
    actions.update_customer(manager, customer, confidentiality="top_secret")
    fresh = Customer.objects.get(pk=customer.pk)
    assert fresh.confidentiality == "top_secret" and fresh.confidential_until == date(2029, 4, 1)
    change = CustomerChange.objects.get(customer=customer, field="confidential_until")
    assert change.old == "" and change.new == "2029-04-01"
    assert _period_decisions(customer)[-1].actor == demo["wangfang"].user
    # clearing the period of a classified customer gives it the default again, from today
    clock.advance(timedelta(days=1))
    actions.update_customer(manager, fresh, confidential_until=None)
    assert Customer.objects.get(pk=customer.pk).confidential_until == date(2029, 4, 2)


def test_sec3_period_in_the_past_is_refused(make_customer, demo, actor_of, frozen):
    with pytest.raises(DomainError) as error:
        make_customer(confidential_until=date(2026, 3, 1))
    assert error.value.code == "SEC-3.period_past" and "保密期限" in error.value.zh
    assert "confidentiality period" in error.value.en
    customer = make_customer()
    with pytest.raises(DomainError):
        actions.update_customer(actor_of(demo["wangfang"]), customer, confidential_until=date(2026, 1, 1))


def test_sec3_auto_declassify_uses_the_default_period(make_customer, frozen):
    # SEC-3: "保密期限届满,自行解密" — the day after the default period ends, the sweep declassifies
    customer = make_customer()
    assert actions.declassify_due() == 0
    clock.freeze(frozen + timedelta(days=365 * 3))  # 2029-03-01: still inside the period
    assert actions.declassify_due() == 0
    clock.freeze(frozen + timedelta(days=365 * 3 + 2))  # 2029-03-03
    assert actions.declassify_due() == 1
    customer.refresh_from_db()
    assert customer.confidentiality == Confidentiality.NONE
    declassified = [d for d in for_object(customer) if d.outcome.endswith("/ declassified")]
    assert len(declassified) == 1 and CLAUSE in declassified[0].clause
    assert declassified[0].inputs["confidential_until"] == "2029-03-02"


def test_sec3_sweep_gives_old_classified_customers_the_default(make_customer, frozen):
    # SEC-3: customers kept from before the default (level, no period) get it from their creation
    old = make_customer()
    Customer.objects.filter(pk=old.pk).update(confidential_until=None)
    assert actions.declassify_due() == 0
    old.refresh_from_db()
    assert old.confidential_until == date(2029, 3, 2)
    assert len(_period_decisions(old)) == 2  # at creation, and again by the sweep
    assert CustomerChange.objects.filter(customer=old, field="confidential_until").exists()
    ancient = make_customer()
    Customer.objects.filter(pk=ancient.pk).update(
        confidential_until=None, created_at=frozen - timedelta(days=365 * 4)
    )
    assert actions.declassify_due() == 1  # its default period ended a year ago
    assert Customer.objects.get(pk=ancient.pk).confidentiality == Confidentiality.NONE


def test_sec3_why_panel_marks_the_default_period(make_customer, demo, client, frozen):
    customer = make_customer()
    client.force_login(demo["wangfang"].user)
    body = client.get(f"/customers/{customer.pk}/").content.decode()
    assert "默认保密期限" in body and "customers.confidentiality_period" not in body and "2029-03-02" in body
    assert "36 个月（本系统默认值）" in body and CLAUSE not in body  # the clause holds no 36 months


def test_sec3_form_and_api_refuse_a_past_period_bilingually(make_customer, demo, client, frozen):
    client.force_login(demo["wangfang"].user)
    form = {"name": "保密客户", "tier": "normal", "audience": "A", "novelty": "new", "stage": "expansion"}
    page = client.post("/customers/new/", {**form, "confidential_until": "2020-01-01"})
    assert page.status_code == 200 and "SEC-3：保密期限不能早于今天" in page.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # pages follow the language the user picked
    english = client.post("/customers/new/", {**form, "confidential_until": "2020-01-01"})
    assert english.status_code == 200 and "cannot end before today" in english.content.decode()
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    created = client.post("/customers/new/", form)
    assert created.status_code == 302
    assert Customer.objects.get(name="保密客户").confidential_until == date(2029, 3, 2)
    api = client.post(
        "/api/v1/customers",
        {"name": "接口客户", "confidential_until": "2020-01-01"},
        content_type="application/json",
    )
    assert api.status_code == 400 and api.json()["error"]["code"] == "SEC-3.period_past"
    made = client.post("/api/v1/customers", {"name": "接口客户"}, content_type="application/json").json()
    assert made["confidential_until"] == "2029-03-02"


def test_sec3_declassification_commits_in_bounded_batches(make_customer, frozen, monkeypatch, settings):
    # SEC-3 / issue 11: a day on which many periods end is declassified in batches of at most
    # KEFU_BULK_BATCH_ROWS customers, each its own transaction, with a pause between them
    from kefu.core import bulk

    settings.KEFU_BULK_BATCH_ROWS = 2
    customers = [make_customer(name=f"客户{i}") for i in range(5)]
    pauses = []
    monkeypatch.setattr(bulk, "pause", lambda: pauses.append(1))
    clock.freeze(frozen + timedelta(days=365 * 3 + 2))
    assert actions.declassify_due() == 5
    assert len(pauses) == 3  # batches of 2, 2 and 1
    assert all(Customer.objects.get(pk=c.pk).confidentiality == Confidentiality.NONE for c in customers)
