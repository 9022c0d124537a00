import pytest

from kefu.cases.tests.conftest import groups, new_case  # noqa: F401  the cases app's fixtures
from kefu.catalogue.actions import items
from kefu.org.access import actor_for
from kefu.org.models import Unit


@pytest.fixture
def act(demo):
    def make(username):
        return actor_for(demo[username].user, origin="test")

    return make


@pytest.fixture
def realty(demo):
    return Unit.objects.get(code="hc-realty")


@pytest.fixture
def water(demo):
    return Unit.objects.get(code="hc-water")


@pytest.fixture
def priced(demo, act, realty, frozen):
    """A realty item (上门维修) at 80.00 元 per 次, approved by 郭庆 and in effect from today."""
    version = items.propose(
        act("wangfang"),
        kind="new",
        unit=realty,
        code="REPAIR",
        name="上门维修",
        measure="次",
        price="80.00",
        effective_on=frozen.date(),
        reason="维修服务收费标准",
    )
    return items.decide(act("guoqing"), version, approve=True)
