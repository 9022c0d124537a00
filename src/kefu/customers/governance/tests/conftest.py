from datetime import timedelta

import pytest

from kefu.core import clock
from kefu.core.crypto import blind_index
from kefu.customers.models import Customer
from kefu.org.models import Unit


@pytest.fixture
def make_customer(demo, frozen):
    """make_customer(name, **fields): a customer of 华辰置业 客户服务部, last touched a year ago."""

    def make(name="客户甲", *, unit="realty-cs", phone="", id_number="", age_days=365, **fields):
        at = clock.now() - timedelta(days=age_days)
        return Customer.objects.create(
            name=name,
            unit=Unit.objects.get(code=unit),
            phone=phone,
            phone_index=blind_index(phone) if phone else "",
            id_number=id_number,
            id_index=blind_index(id_number, kind="id") if id_number else "",
            created_at=at,
            updated_at=at,
            **fields,
        )

    return make
