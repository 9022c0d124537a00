import pytest

from kefu.org.access import actor_for


@pytest.fixture
def act(demo):
    def make(username):
        return actor_for(demo[username].user, origin="test")

    return make


@pytest.fixture
def plan(demo, act):
    """华辰水务's plan: consultations are revisited after resolution (FUP-1)."""
    from kefu.followups.actions import plans

    return plans.set_plan(act("gaofeng"), demo["gaofeng"].unit, "resolution", kinds=["consultation"])


@pytest.fixture
def open_case(demo, act, frozen):
    """open_case(customer=None) → a water consultation owned by 吕欣, handled up to the solution."""
    from kefu.cases import actions
    from kefu.cases.actions import routing

    def make(customer=None, title="水压不足"):
        case, _ = actions.create_case(
            act("lvxin"),
            unit=demo["lvxin"].unit,
            kind="consultation",
            channel="phone",
            title=title,
            customer=customer,
            contact={"name": "周女士", "phone": "13600001111"},
        )
        if case.owner_id != demo["lvxin"].pk:
            routing.assign(act("gaofeng"), case, demo["lvxin"])
        case.refresh_from_db()
        lvxin = act("lvxin")
        case = actions.act(lvxin, case, "accept")
        return actions.act(lvxin, case, "propose", data={"solution": "更换减压阀"})

    return make


@pytest.fixture
def resolve(act):
    def make(case):
        from kefu.cases import actions

        return actions.act(act("lvxin"), case, "inform", data={"customer_reply": "已更换减压阀"})

    return make
