import pytest

from kefu.customers import actions


@pytest.fixture
def make_customer(demo, actor_of):
    """make_customer(by="wangfang", **fields) → Customer created through the action."""

    def make(by="wangfang", **fields):
        fields.setdefault("name", "测试客户")
        return actions.create_customer(actor_of(demo[by]), **fields)

    return make
