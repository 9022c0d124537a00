import pytest

from kefu.org.access import actor_for


@pytest.fixture
def act(demo):
    def make(username):
        return actor_for(demo[username].user, origin="test")

    return make


@pytest.fixture
def customer_data():
    def make(phone="13900001111", **extra):
        return {"name": "张先生", "phone": phone, "address": "杭州市西湖区文三路 100 号", **extra}

    return make


@pytest.fixture
def wuqiang(demo, admin_actor):
    """A second salesperson (own scope, no claim.view_owner) in 黄磊's team."""
    from kefu.org import actions as org_actions
    from kefu.org.models import Role

    huanglei = demo["huanglei"]
    employee, _ = org_actions.create_employee(
        admin_actor,
        username="wuqiang",
        name="吴强",
        number="RE0099",
        unit=huanglei.unit,
        post=huanglei.post,
        supervisors=list(huanglei.supervisors.all()),
    )
    org_actions.set_roles(admin_actor, employee, [Role.objects.get(code="sales")])
    demo["wuqiang"] = employee
    return employee
