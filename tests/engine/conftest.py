import pytest

from kefu.org.models import Unit
from tests.toy.models import Ticket


@pytest.fixture
def new_ticket(demo):
    """new_ticket(owner="zhaomin", **fields) → a draft toy ticket in the owner's unit."""

    def make(owner="zhaomin", **fields):
        employee = demo[owner]
        return Ticket.objects.create(unit=fields.pop("unit", employee.unit), owner=employee, **fields)

    return make


@pytest.fixture
def realty_unit(db):
    return Unit.objects.get(code="hc-realty")
