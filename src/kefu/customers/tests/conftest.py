import pytest

from kefu.customers import actions


@pytest.fixture
def make_customer(demo, actor_of):
    """make_customer(by="wangfang", **fields) → Customer created through the action."""

    def make(by="wangfang", **fields):
        fields.setdefault("name", "测试客户")
        return actions.create_customer(actor_of(demo[by]), **fields)

    return make


@pytest.fixture
def login(client, demo):
    """login("wangfang") → the test client signed in as that demo person (pages and /api/v1)."""

    def as_(username):
        client.force_login(demo[username].user)
        return client

    return as_
