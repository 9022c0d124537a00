"""SEC-2 on the edit form: an editor who sees phone / ID / address masked gets the mask in the form;
sending it back keeps the stored value, an edited mask is refused, and only the explicit "清空" box
clears such a field — directly or through a CUS-4 change request. The same guard holds in the API."""

import pytest

from kefu.customers import actions
from kefu.customers.models import ChangeRequest, Customer, CustomerChange
from kefu.customers.queries import changes as queries

pytestmark = pytest.mark.django_db
PHONE = "13912345678"
ID_NUMBER = "330106199001011234"
ADDRESS = "浙江省杭州市拱墅区湖墅南路 1 号"
MASKS = {"phone": "139****5678", "id_number": "330*************34", "address": "浙江省杭州市拱墅区****"}


@pytest.fixture
def customer(make_customer, demo):
    """A customer of 赵敏 (客服专员: may edit, sees personal data masked)."""
    return make_customer(
        name="掩码客户",
        phone=PHONE,
        id_number=ID_NUMBER,
        address=ADDRESS,
        needs="住宅",
        owner=demo["zhaomin"],
    )


def _form(customer, **changes):
    """What the edit form posts back untouched (the masks as shown), with `changes` on top."""
    data = {
        "name": customer.name,
        "tier": customer.tier,
        "audience": customer.audience,
        "novelty": customer.novelty,
        "stage": customer.stage,
        "owner": customer.owner_id,
        "needs": customer.needs,
        "confidential_until": customer.confidential_until.isoformat(),
        **MASKS,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _login(client, demo, username):
    client.force_login(demo[username].user)
    return client


def _stored(customer):
    fresh = Customer.objects.get(pk=customer.pk)
    return fresh.phone, fresh.id_number, fresh.address


def test_sec2_edit_form_shows_the_mask_not_the_value(customer, demo, client):
    page = _login(client, demo, "zhaomin").get(f"/customers/{customer.pk}/edit/")
    body = page.content.decode()
    assert page.status_code == 200
    assert (
        'value="139****5678"' in body
        and PHONE not in body
        and ID_NUMBER not in body
        and "湖墅南路" not in body
    )
    assert 'name="clear_phone"' in body and 'name="clear_id_number"' in body and "清空" in body
    full = _login(client, demo, "wangfang").get(f"/customers/{customer.pk}/edit/").content.decode()
    assert f'value="{PHONE}"' in full and 'name="clear_phone"' not in full  # full view: plain fields


def test_sec2_submitting_the_masked_value_never_overwrites_the_real_value(customer, demo, client):
    # SEC-2: the masks go back unchanged with another change → only that change is made
    response = _login(client, demo, "zhaomin").post(
        f"/customers/{customer.pk}/edit/", _form(customer, needs="商铺")
    )
    assert response.status_code == 302
    assert _stored(customer) == (PHONE, ID_NUMBER, ADDRESS)
    assert Customer.objects.get(pk=customer.pk).needs == "商铺"
    assert list(CustomerChange.objects.filter(customer=customer).values_list("field", flat=True)) == ["needs"]
    # an emptied masked field without the box is not a request to clear it
    client.post(f"/customers/{customer.pk}/edit/", _form(customer, phone="", address=""))
    assert _stored(customer) == (PHONE, ID_NUMBER, ADDRESS)


def test_sec2_clear_box_clears_through_the_normal_edit_path(customer, demo, client):
    response = _login(client, demo, "zhaomin").post(
        f"/customers/{customer.pk}/edit/", _form(customer, clear_phone="on")
    )
    assert response.status_code == 302
    fresh = Customer.objects.get(pk=customer.pk)
    assert fresh.phone == "" and fresh.phone_index == "" and fresh.id_number == ID_NUMBER
    assert CustomerChange.objects.get(customer=customer, field="phone").new == ""


def test_sec2_clear_box_by_sales_goes_through_a_change_request(make_customer, demo, actor_of, client):
    # SEC-2 + CUS-4: 黄磊 (sales) sees masks; clearing is proposed, verified, then applied
    mine = make_customer(by="huanglei", name="销售客户", phone=PHONE, address=ADDRESS)
    data = _form(mine, clear_address="on", owner=demo["huanglei"].pk, id_number=None)
    assert _login(client, demo, "huanglei").post(f"/customers/{mine.pk}/edit/", data).status_code == 302
    request = ChangeRequest.objects.get(customer=mine)
    assert request.fields == ["address"] and queries.proposed(request) == {"address": ""}
    assert Customer.objects.get(pk=mine.pk).address == ADDRESS
    actions.approve_change(actor_of(demo["songyu"]), request)
    assert Customer.objects.get(pk=mine.pk).address == "" and Customer.objects.get(pk=mine.pk).phone == PHONE


def test_sec2_edited_mask_is_refused_bilingually(customer, demo, client, settings):
    client = _login(client, demo, "zhaomin")
    page = client.post(f"/customers/{customer.pk}/edit/", _form(customer, phone="139****0000"))
    assert page.status_code == 200 and "请填写完整的新值，或保持掩码不变" in page.content.decode()
    both = client.post(
        f"/customers/{customer.pk}/edit/", _form(customer, phone="13700001111", clear_phone="on")
    )
    assert both.status_code == 200 and "要么填写新值，要么勾选清空" in both.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.post(
        f"/customers/{customer.pk}/edit/", _form(customer, phone="139****0000")
    ).content.decode()
    assert "Type the complete new value, or leave the masked value as it is." in english
    assert _stored(customer) == (PHONE, ID_NUMBER, ADDRESS)
    # a real new value replaces the old one
    client.post(f"/customers/{customer.pk}/edit/", _form(customer, phone="13700001111"))
    assert _stored(customer)[0] == "13700001111"


def test_sec2_edit_page_permissions(customer, demo, client):
    assert (
        _login(client, demo, "hemei").get(f"/customers/{customer.pk}/edit/").status_code == 403
    )  # view only
    assert (
        _login(client, demo, "gaofeng").get(f"/customers/{customer.pk}/edit/").status_code == 404
    )  # out of scope


def test_sec2_api_patch_with_masked_values_keeps_the_real_values(customer, demo, client):
    client = _login(client, demo, "zhaomin")
    url = f"/api/v1/customers/{customer.pk}"
    shown = client.get(url).json()
    assert shown["full"] is False and shown["phone"] == MASKS["phone"]
    body = {k: shown[k] for k in ("phone", "id_number", "address")}
    response = client.patch(url, {**body, "needs": "车位"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["phone"] == MASKS["phone"]
    assert _stored(customer) == (PHONE, ID_NUMBER, ADDRESS)
    refused = client.patch(url, {"id_number": "330****"}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "SEC-2.masked_value"
    assert "SEC-2" in refused.json()["error"]["messages"]["zh-hans"]
    cleared = client.patch(url, {"address": ""}, content_type="application/json")  # explicit in the API
    assert cleared.status_code == 200 and _stored(customer)[2] == ""
    made = client.post(
        "/api/v1/customers", {"name": "新客户", "address": "杭州市****"}, content_type="application/json"
    )
    assert made.status_code == 400 and made.json()["error"]["code"] == "SEC-2.masked_value"
