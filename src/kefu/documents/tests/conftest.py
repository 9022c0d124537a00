import pytest

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
def group(demo):
    return Unit.objects.get(code="hc-group")
