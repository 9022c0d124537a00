"""The archive's public interface: create, find by phone, scoped reads, masking (CUS-1, SEC-1…SEC-3, SEC-5)."""

import pytest
from django.db import connection

from kefu.core.errors import DomainError, NotFound
from kefu.core.models import AuditEvent
from kefu.customers import actions
from kefu.customers.models import Confidentiality, Contact, Customer
from kefu.customers.queries import archive as queries
from kefu.customers.queries import masks

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
ID = "330106199001011234"
ADDRESS = "浙江省杭州市西湖区文三路 90 号 3 幢 502 室"


def test_cus1_create_keeps_every_field(make_customer, demo):
    # CUS-1
    c = make_customer(
        name="陈建国",
        phone="139-1234-5678",
        address=ADDRESS,
        id_number=ID,
        gender="男",
        position="总经理",
        company="杭州建国贸易有限公司",
        region="西湖区",
        industry="贸易",
        needs="商铺",
        source="来电",
        contact_window="12:00–14:00",
        no_third_party_contact=True,
        consent_external=False,
        consent_marketing=True,
        emergency_contact="陈太太 13800000000",
    )
    fresh = Customer.objects.get(pk=c.pk)
    assert fresh.phone == "139-1234-5678"
    assert fresh.id_number == ID and fresh.address == ADDRESS
    assert fresh.contact_window == "12:00–14:00" and fresh.no_third_party_contact
    assert fresh.created_at is not None and fresh.policy_version is not None
    assert fresh.unit == demo["wangfang"].unit
    assert AuditEvent.objects.filter(action="customer.create", object_id=str(c.pk)).exists()


def test_find_by_phone_normalises_and_is_not_scoped(make_customer):
    c = make_customer(phone=PHONE)
    assert queries.find_by_phone("+86 139 1234 5678") == c
    assert queries.find_by_phone("13900000000") is None
    assert queries.find_by_phone("") is None


def test_sec1_no_plaintext_in_the_tables(make_customer):
    # SEC-1: a raw dump of the customer tables holds no phone, ID or address in clear
    c = make_customer(
        name="沈梦", phone=PHONE, address=ADDRESS, id_number=ID, emergency_contact="沈父 13700001111"
    )
    actions.add_contact(_admin(c), c, name="沈助理", phone="13655557777")
    with connection.cursor() as cursor:
        dump = ""
        for table in (
            "customers_customer",
            "customers_contact",
            "customers_customerchange",
            "customers_changerequest",
        ):
            cursor.execute(f"SELECT * FROM {table}")
            dump += repr(cursor.fetchall())
    for secret in (PHONE, ID, "文三路", "13700001111", "13655557777", "3912345678"):
        assert secret not in dump
    assert Contact.objects.get(customer=c).phone == "13655557777"


def _admin(customer):
    from django.contrib.auth import get_user_model

    from kefu.core.actor import Actor

    return Actor(user=get_user_model().objects.get(username="admin"), origin="test")


def test_sec3_default_level_from_relationship(make_customer, demo):
    # SEC-3: 一般→秘密, 重要→机密, 直接影响公司权益 (strategic)→绝密
    assert make_customer().confidentiality == Confidentiality.SECRET
    assert make_customer(novelty="important").confidentiality == Confidentiality.CONFIDENTIAL
    assert make_customer(tier="key", owner=demo["wangfang"]).confidentiality == Confidentiality.CONFIDENTIAL
    top = make_customer(tier="strategic", owner=demo["zhangwei"])
    assert top.confidentiality == Confidentiality.TOP_SECRET


def test_scope_out_of_scope_is_404(make_customer, demo, actor_of):
    # ORG-3: a water-company manager cannot see a realty customer
    c = make_customer(phone=PHONE)
    assert queries.customer(actor_of(demo["wangfang"]), c.pk) == c
    with pytest.raises(NotFound):
        queries.customer(actor_of(demo["gaofeng"]), c.pk)
    with pytest.raises(DomainError) as error:
        actions.update_customer(actor_of(demo["gaofeng"]), c, needs="x")
    assert error.value.status == 404


def test_sec2_masking_by_role(make_customer, demo, actor_of):
    # SEC-2
    c = make_customer(phone=PHONE, id_number=ID, address=ADDRESS)
    shown = masks.masked(c, actor_of(demo["hemei"]))  # info officer: view only
    assert shown == {
        "full": False,
        "phone": "139****5678",
        "id_number": "330*************34",
        "address": "浙江省杭州市西湖区****",
        "emergency_contact": "",
    }


def test_sec5_full_read_is_audited(make_customer, demo, actor_of):
    # SEC-5: a holder of customer.view_full sees the data in full, and the read is logged
    c = make_customer(phone=PHONE, id_number=ID, address=ADDRESS)
    before = AuditEvent.objects.filter(action="read.sensitive").count()
    shown = masks.masked(c, actor_of(demo["wangfang"]), purpose="回访")
    assert shown["full"] and shown["phone"] == PHONE and shown["address"] == ADDRESS
    event = AuditEvent.objects.filter(action="read.sensitive").latest("id")
    assert AuditEvent.objects.filter(action="read.sensitive").count() == before + 1
    assert event.object_id == str(c.pk) and event.actor_name == "wangfang" and event.reason == "回访"
    assert event.after == {"fields": ["address", "id_number", "phone"]}


def test_org3_cannot_move_a_customer_out_of_scope(make_customer, demo, actor_of):
    # ORG-3: a subsidiary manager cannot move a customer into another subsidiary
    from kefu.org.models import Unit

    c = make_customer()
    water = Unit.objects.get(code="hc-water")
    with pytest.raises(DomainError) as error:
        actions.update_customer(actor_of(demo["wangfang"]), c, unit=water)
    assert error.value.status == 404  # issue 10: an out-of-scope target looks like a missing one
    assert Customer.objects.get(pk=c.pk).unit == demo["wangfang"].unit
