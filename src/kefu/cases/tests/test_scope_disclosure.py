"""Issue 10: a phone number never reveals a customer outside the reader's scope, and no case write
lands in another subsidiary (ORG-3, SEC-2, CASE-2, CASE-6, CASE-8).

Decision (docs/decisions.md, "What a phone number reveals"): intake matches a phone only in the
receiving subsidiary's archive; a match is shown (id, name, masked phone) only to readers who may see
that customer (customer.view in scope).
"""

import json

import pytest
from django.test import Client

from kefu.cases.actions import handoffs as actions_handoffs
from kefu.cases.models import Case
from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.core.crypto import mask_phone
from kefu.core.errors import Invalid
from kefu.customers.models import Customer
from kefu.org.models import Unit

BASE = "/api/v1/cases"


def bearer(employee) -> dict:
    _, token = create_token(Actor(user=employee.user, origin="test"), user=employee.user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def intake(employee, phone: str, **extra):
    body = {"kind": "consultation", "channel": "phone", "title": "t", "customer": {"phone": phone}, **extra}
    return Client().post(BASE, body, content_type="application/json", **bearer(employee))


def realty_customer(within: str = "hc-realty") -> Customer:
    """A live 华辰置业 customer with a phone, under the unit with code `within`."""
    path = Unit.objects.get(code=within).path
    found = Customer.objects.filter(unit__path__startswith=path, destroyed_at__isnull=True)
    return found.exclude(phone="").order_by("pk")[0]


def text_of(response) -> str:
    """A page's HTML, or an API answer as JSON with Chinese kept (not \\u-escaped)."""
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def assert_discloses_nothing(text: str, customer: Customer) -> None:
    """No name, id or archive link of `customer`; its masked phone only where the page or answer shows
    the contact the reader typed in themself (the same digits, masked: not the archive's record)."""
    assert customer.name not in text
    assert f'"customer_id": {customer.pk}' not in text and f"/customers/{customer.pk}/" not in text
    masked = mask_phone(customer.phone)
    typed = text.count(f'id="contact-phone">{masked}<') + text.count(f'"phone": "{masked}", "email"')
    assert text.count(masked) == typed


@pytest.mark.django_db
def test_a_phone_of_another_subsidiary_discloses_nothing(demo):  # SEC-2, ORG-3 — issue 10
    # the reproducer: 高峰 (华辰水务) typed a 华辰置业 customer's phone and got {"id", "name": "杜先生"}
    customer = realty_customer()
    gaofeng = demo["gaofeng"]
    created = intake(gaofeng, customer.phone)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["customer"] is None and body["customer_id"] is None and body["contact_name"] == ""
    assert_discloses_nothing(text_of(created), customer)
    case = Case.objects.get(pk=body["id"])
    assert case.customer_id is None  # another subsidiary's archive is not searched at all
    again = Client().get(f"{BASE}/{case.pk}", **bearer(gaofeng))
    assert again.status_code == 200 and again.json()["customer"] is None
    assert_discloses_nothing(text_of(again), customer)
    listed = Client().get(BASE, **bearer(gaofeng))
    assert_discloses_nothing(text_of(listed), customer)
    # nor may he ask for the cases of that customer, or name it when creating
    probe = Client().get(BASE, {"customer": customer.pk}, **bearer(gaofeng)).json()
    assert probe["count"] == 0
    named = intake(gaofeng, "", customer_id=customer.pk)
    assert named.status_code == 404
    client = Client()
    client.force_login(gaofeng.user)
    page = client.get(f"/cases/{case.pk}/")
    assert page.status_code == 200
    assert_discloses_nothing(text_of(page), customer)
    assert 'id="customer-archive"' not in text_of(page)


@pytest.mark.django_db
def test_a_phone_in_scope_links_and_shows_the_customer(demo):  # SEC-2, CASE-2 — issue 10
    customer = realty_customer()
    created = intake(demo["wangfang"], customer.phone)
    assert created.status_code == 201, created.content
    shown = created.json()["customer"]
    assert shown == {
        "id": customer.pk,
        "name": customer.name,
        "phone": mask_phone(customer.phone),
        "tier": customer.tier,
    }
    assert created.json()["customer_id"] == customer.pk and created.json()["contact_name"] == customer.name


@pytest.mark.django_db
def test_a_phone_in_the_same_subsidiary_links_but_is_not_shown_out_of_scope(demo):  # SEC-2 — issue 10
    # 李娜 (客服主管, 客户服务部) may not see a customer of 营销部: the case is linked (the subsidiary's
    # archive keeps its timeline, CUS-9) but she sees only the contact she typed — on the API and the page
    customer = realty_customer(within="realty-sales")
    lina = demo["lina"]
    created = intake(lina, customer.phone)
    assert created.status_code == 201, created.content
    assert created.json()["customer"] is None and created.json()["customer_id"] is None
    assert_discloses_nothing(text_of(created), customer)
    case = Case.objects.get(pk=created.json()["id"])
    assert case.customer_id == customer.pk and case.contact_name == ""
    for text in (
        text_of(Client().get(f"{BASE}/{case.pk}", **bearer(lina))),
        text_of(Client().get(BASE, **bearer(lina))),
    ):
        assert_discloses_nothing(text, customer)
    client = Client()
    client.force_login(lina.user)
    assert_discloses_nothing(text_of(client.get(f"/cases/{case.pk}/")), customer)
    # the manager who may see the customer sees the link
    seen = Client().get(f"{BASE}/{case.pk}", **bearer(demo["wangfang"])).json()
    assert seen["customer"]["id"] == customer.pk and seen["customer"]["name"] == customer.name


@pytest.mark.django_db
def test_the_new_case_form_does_not_reveal_the_customer_of_a_typed_phone(demo):  # SEC-2 — issue 10
    customer = realty_customer()
    client = Client()
    client.force_login(demo["gaofeng"].user)
    found = text_of(client.get("/cases/new/", {"find": customer.phone}))
    assert_discloses_nothing(found, customer)  # the search is scoped: nothing from 华辰置业
    data = {
        "token": "issue-10",
        "kind": "consultation",
        "channel": "phone",
        "priority": "normal",
        "title": "水压咨询",
        "contact_phone": customer.phone,
    }
    done = client.post("/cases/new/", data)
    assert done.status_code == 302, done.content.decode()[:2000]
    assert_discloses_nothing(text_of(client.get(done["Location"])), customer)
    assert Case.objects.get(title="水压咨询").customer_id is None


@pytest.mark.django_db
def test_org3_cases_are_received_only_in_scope(demo):  # ORG-3 — issue 10
    water = Unit.objects.get(code="water-cs-hotline")
    before = Case.objects.count()
    for who in ("zhaomin", "wangfang"):
        refused = intake(demo[who], "13500001111", unit_id=water.pk)
        assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
    # an own scope receives at its own unit (the default) — not at the department above it
    zhaomin = demo["zhaomin"]
    assert intake(zhaomin, "13500001111", unit_id=zhaomin.unit.pk).status_code == 201
    up = intake(zhaomin, "13500001111", unit_id=Unit.objects.get(code="realty-cs").pk)
    assert up.status_code == 404
    assert Case.objects.count() == before + 1


@pytest.mark.django_db
def test_case6_no_transfer_into_another_subsidiary(new_case, demo, act):  # CASE-6
    case = new_case()  # 华辰置业's hotline; routed to 赵敏 or 孙丽
    holder = case.owner
    for target in ("lvxin", "gaofeng"):
        moved = Client().post(
            f"{BASE}/{case.pk}/transfer",
            {"reason": "转水务", "to_owner_id": demo[target].pk},
            content_type="application/json",
            **bearer(holder),
        )
        assert moved.status_code == 400, moved.content
        assert moved.json()["error"]["code"] == "case_employee_unknown"  # like an unknown person
    case.refresh_from_db()
    assert case.owner_id == holder.pk and case.transfer_count == 0
    # inside the subsidiary a transfer still goes through
    inside = Client().post(
        f"{BASE}/{case.pk}/transfer",
        {"reason": "涉及投诉", "to_owner_id": demo["wujing"].pk},
        content_type="application/json",
        **bearer(holder),
    )
    assert inside.status_code == 201, inside.content


@pytest.mark.django_db
def test_route1_no_assignment_into_another_subsidiary(demo, act, frozen):  # ROUTE-1 — issue 10
    from kefu.cases import actions
    from kefu.cases.actions import routing as actions_routing

    case, _ = actions.create_case(
        act("lina"), unit=demo["lina"].unit, kind="consultation", channel="phone", title="待分派", contact={}
    )
    assert case.owner_id is None
    with pytest.raises(Invalid) as refused:
        actions_routing.assign(act("lina"), case, demo["lvxin"])
    assert refused.value.code == "case_employee_unknown"
    assigned = Client().post(
        f"{BASE}/{case.pk}/assign",
        {"owner_id": demo["lvxin"].pk},
        content_type="application/json",
        **bearer(demo["lina"]),
    )
    assert assigned.status_code == 400
    case.refresh_from_db()
    assert case.owner_id is None and case.unit == demo["lina"].unit


@pytest.mark.django_db
def test_case8_no_handoff_into_another_subsidiary(new_case, demo, act):  # CASE-8 — issue 10
    case = new_case()
    tech = Unit.objects.get(code="water-tech")
    with pytest.raises(Invalid) as refused:
        actions_handoffs.send(act(case.owner.user.username), case, tech, "请技术支持部协助")
    assert refused.value.code == "case_handoff_unit"
    assert not case.handoffs.exists()


@pytest.mark.django_db
def test_case5_responsible_staff_only_inside_the_subsidiary(demo, act, new_case):  # CASE-5 — issue 10
    from kefu.cases.actions import complaints as actions_complaints

    case = new_case(kind="complaint", title="态度投诉")
    handler = act(case.owner.user.username)
    with pytest.raises(Invalid) as refused:
        actions_complaints.mark_staff_caused(handler, case, demo["lvxin"], "attitude")
    assert refused.value.code == "case_responsible_invalid"
    marked = actions_complaints.mark_staff_caused(handler, case, demo["sunli"], "attitude")
    assert marked.responsible_id == demo["sunli"].pk
