import pytest

from kefu.cases.models import Office, SkillGroup
from kefu.org.access import actor_for
from kefu.org.models import Unit


@pytest.fixture
def act(demo):
    def make(username):
        return actor_for(demo[username].user, origin="test")

    return make


@pytest.fixture
def groups(demo):
    """Realty's hotline (front: 赵敏, 孙丽) and complaints (back: 吴静) skill groups (ROUTE-1); the
    demo's own when it has them (`demo_config`)."""
    hotline, _ = SkillGroup.objects.get_or_create(
        unit=Unit.objects.get(code="realty-cs-hotline"),
        code="hotline",
        defaults={
            "name": "热线组",
            "office": Office.FRONT,
            "families": [
                "consultation",
                "suggestion",
                "feedback",
                "help_request",
                "repair",
                "service_request",
            ],
        },
    )
    hotline.members.set([demo["zhaomin"], demo["sunli"]])
    complaints, _ = SkillGroup.objects.get_or_create(
        unit=Unit.objects.get(code="realty-cs-complaints"),
        code="complaints",
        defaults={"name": "投诉组", "office": Office.BACK, "families": ["complaint"]},
    )
    complaints.members.set([demo["wujing"]])
    return {"hotline": hotline, "complaints": complaints}


@pytest.fixture
def new_case(demo, act, groups, frozen):
    """new_case(by="zhaomin", kind="consultation", **fields) → (case, created) through the action."""
    from kefu.cases import actions

    def make(by="zhaomin", kind="consultation", **fields):
        fields.setdefault("channel", "phone")
        fields.setdefault("title", "咨询交房时间")
        fields.setdefault("contact", {"name": "钱先生", "phone": "13512345678"})
        case, _ = actions.create_case(act(by), unit=demo[by].unit, kind=kind, **fields)
        return case

    return make


@pytest.fixture
def proposed_complaint(new_case, act):
    """A complaint routed to 吴静 (complaints group), accepted and with a solution proposed (CASE-4)."""
    from kefu.cases import actions

    case = new_case(kind="complaint", title="维修拖延投诉")
    owner = act(case.owner.user.username)
    case = actions.act(owner, case, "accept")
    return actions.act(owner, case, "propose", data={"solution": "重新安排维修"})


@pytest.fixture
def water_case(demo, act, frozen):
    """A water-company case owned by 吕欣 (hotline); 技术支持部 (徐浩) receives its 报备 (CASE-8)."""
    from kefu.cases import actions
    from kefu.cases.actions import routing as actions_routing

    case, _ = actions.create_case(
        act("lvxin"),
        unit=demo["lvxin"].unit,
        kind="consultation",
        channel="phone",
        title="水压不足",
        contact={"name": "周女士", "phone": "13600001111"},
    )
    if case.owner_id != demo["lvxin"].pk:  # routed by the water hotline group when the demo has one
        actions_routing.assign(act("gaofeng"), case, demo["lvxin"])
    case.refresh_from_db()
    return case
