"""Organisation rules ORG-1…ORG-6, on the demo organisation."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from kefu.core import actions as core_actions
from kefu.core import clock
from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from kefu.core.models import AuditEvent
from kefu.org import access, actions, queries
from kefu.org.models import Employee, Post, Role, Unit
from kefu.org.seed import POSTS

pytestmark = pytest.mark.django_db


def unit(code):
    return Unit.objects.get(code=code)


def names(qs):
    return {e.user.username for e in qs}


# ---------------------------------------------------------------- ORG-1 tree


def test_tree_paths_follow_group_subsidiary_department_team(demo):  # ORG-1
    team = unit("realty-cs-hotline")
    chain = [Unit.objects.get(pk=i).kind for i in team.ancestor_ids()]
    assert chain == ["group", "subsidiary", "department", "team"]


@pytest.mark.parametrize(
    ("kind", "parent_code"),
    [
        ("team", "hc-realty"),
        ("subsidiary", "realty-cs"),
        ("department", "realty-cs-hotline"),
        ("group", "hc-group"),
    ],
)
def test_units_only_sit_under_the_allowed_parent_kind(demo, admin_actor, kind, parent_code):  # ORG-1
    with pytest.raises(Invalid) as err:
        actions.create_unit(admin_actor, kind=kind, name="新单位", code="new-unit", parent=unit(parent_code))
    assert err.value.code == "ORG-1.tree"


def test_only_one_group(demo, admin_actor):  # ORG-1
    with pytest.raises(Invalid) as err:
        actions.create_unit(admin_actor, kind="group", name="第二集团", code="g2")
    assert err.value.code == "ORG-1.one_group"


def test_moving_a_department_moves_its_teams_and_refuses_cycles(demo, admin_actor):  # ORG-1
    dept = unit("realty-sales")
    actions.update_unit(admin_actor, dept, parent=unit("hc-water"))
    team = unit("realty-sales-showroom")
    assert team.path.startswith(unit("hc-water").path)
    assert team.path == f"{unit('realty-sales').path}{team.pk}/"
    with pytest.raises(Invalid):
        actions.update_unit(admin_actor, unit("hc-realty"), parent=unit("realty-cs"))


def test_a_unit_with_active_staff_below_cannot_be_deactivated(demo, admin_actor):  # ORG-1
    with pytest.raises(Invalid) as err:
        actions.update_unit(admin_actor, unit("realty-cs"), is_active=False)  # staff sit in its teams
    assert err.value.code == "unit_has_staff"


def test_unit_codes_are_unique(demo, admin_actor):  # ORG-1
    with pytest.raises(Conflict):
        actions.create_unit(
            admin_actor, kind="department", name="另一个部门", code="realty-cs", parent=unit("hc-realty")
        )


def test_sites_belong_to_units(demo, admin_actor):  # ORG-1
    site = actions.save_site(admin_actor, name="滨江门店", kind="store", unit=unit("hc-realty"))
    assert site in queries.sites(admin_actor)


# ---------------------------------------------------------------- ORG-2 employees


def test_seeded_posts_are_the_ones_named_in_the_spec(db):  # ORG-2
    names_in_spec = {
        "总经理",
        "副总经理",
        "客服部经理",
        "副经理",
        "客服主管",
        "客服专员",
        "客服助理",
        "质检员",
        "投诉专员",
        "回访专员",
        "排班管理员",
        "案场负责人",
        "行政/人力行政部",
        "销售",
        "市场",
        "财务",
        "技术支持",
        "信息员",
        "客户信息主管",
    }
    assert set(Post.objects.values_list("name", flat=True)) == names_in_spec
    assert len(POSTS) == len(names_in_spec)


def test_every_seeded_role_has_a_demo_user(demo):  # ORG-2
    for role in Role.objects.all():
        assert role.assignments.exists(), role.code


def test_employee_has_post_supervisor_type_and_confirmation(demo, admin_actor):  # ORG-2
    zhaomin = demo["zhaomin"]
    assert zhaomin.post.name == "客服专员"
    assert list(zhaomin.supervisors.all()) == [demo["lina"]]
    assert zhaomin.is_confirmed
    actions.update_employee(admin_actor, zhaomin, employment_type="probation", confirmed_on=None)
    zhaomin.refresh_from_db()
    assert not zhaomin.is_confirmed
    with pytest.raises(Invalid):
        actions.update_employee(admin_actor, zhaomin, supervisors=[zhaomin])


def test_employee_phone_is_encrypted_at_rest(demo):  # ORG-2 / SEC-1
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM org_employee WHERE id = %s", [demo["zhaomin"].pk])
        raw = cursor.fetchone()[0]
    assert "13801020003" not in raw
    assert Employee.objects.get(pk=demo["zhaomin"].pk).phone == "13801020003"


# ---------------------------------------------------------------- ORG-3 scopes


@pytest.mark.parametrize(
    ("username", "sees", "does_not_see"),
    [
        ("zhaomin", {"zhaomin"}, {"sunli", "lina"}),  # own
        ("heping", {"heping", "huanglei"}, {"linxiao", "zhaomin"}),  # team
        ("lina", {"zhaomin", "sunli", "wujing", "zhouqiang"}, {"huanglei", "lvxin"}),  # department
        (
            "wangfang",
            {"zhaomin", "huanglei", "majun", "guoqing"},
            {"lvxin", "gaofeng", "zhangwei"},
        ),  # subsidiary
        ("gaofeng", {"lvxin", "zhengkai", "xuhao"}, {"zhaomin"}),  # the other subsidiary
        ("zhangwei", {"zhaomin", "lvxin", "tangning", "admin"}, set()),  # group
    ],
)
def test_data_scope_decides_which_employees_are_visible(
    demo, actor_of, username, sees, does_not_see
):  # ORG-3
    visible = names(queries.employees(actor_of(demo[username])))
    assert sees <= visible
    assert not (does_not_see & visible)


def test_out_of_scope_record_is_not_found_rather_than_forbidden(demo, actor_of):  # ORG-3
    with pytest.raises(NotFound):
        queries.employee(actor_of(demo["wangfang"]), demo["lvxin"].pk)


def test_group_sees_all_subsidiaries_and_a_subsidiary_itself_and_below(demo, actor_of):  # ORG-3
    group_units = set(queries.units(actor_of(demo["zhangwei"])).values_list("code", flat=True))
    realty_units = set(queries.units(actor_of(demo["wangfang"])).values_list("code", flat=True))
    assert {"hc-realty", "hc-water", "hc-group"} <= group_units
    assert "hc-realty" in realty_units and "realty-cs-hotline" in realty_units
    assert "hc-water" not in realty_units and "hc-group" not in realty_units


def test_writes_are_limited_to_the_scope_too(demo, actor_of):  # ORG-3
    majun = actor_of(demo["majun"])  # 人力行政, subsidiary scope in 华辰置业
    actions.create_unit(majun, kind="team", name="售后组", code="realty-cs-after", parent=unit("realty-cs"))
    with pytest.raises(PermissionDenied):
        actions.create_unit(majun, kind="team", name="抢修组", code="water-repair", parent=unit("water-tech"))


def test_nobody_grants_more_than_they_hold(demo, actor_of, admin_actor):  # ORG-3
    admin_role = Role.objects.get(code="admin")
    role_manager = actions.save_role(
        admin_actor,
        code="hr_roles",
        name="人事角色管理",
        permissions=["role.manage", "org.view"],
        scope="subsidiary",
    )
    actions.set_roles(admin_actor, demo["majun"], [Role.objects.get(code="hr_admin"), role_manager])
    with pytest.raises(PermissionDenied):
        actions.set_roles(actor_of(demo["majun"]), demo["zhaomin"], [admin_role])


# ---------------------------------------------------------------- ORG-4 supervisory-only


def test_supervisory_role_views_but_never_acts(demo, actor_of):  # ORG-4
    inspector = actor_of(demo["tangning"])
    assert access.can(inspector, "org.view") and access.can(inspector, "audit.view")
    assert "lvxin" in names(queries.employees(inspector))
    with pytest.raises(PermissionDenied):
        actions.create_unit(inspector, kind="team", name="督导组", code="x", parent=unit("realty-cs"))


def test_supervisory_role_cannot_be_given_acting_permissions(demo, admin_actor):  # ORG-4
    with pytest.raises(Invalid) as err:
        actions.save_role(
            admin_actor,
            code="bad",
            name="坏督导",
            permissions=["org.view", "org.manage"],
            scope="group",
            supervisory_only=True,
        )
    assert err.value.code == "ORG-4.supervisory_only"
    # even a row edited behind the application's back grants nothing beyond view/comment
    Role.objects.filter(code="inspector").update(permissions=["org.view", "org.manage"])
    assert not access.can(access.actor_for(demo["tangning"].user, origin="test"), "org.manage")


# ---------------------------------------------------------------- ORG-5 delegation


@pytest.fixture
def hr_delegation(demo, actor_of, frozen):
    majun = demo["majun"]
    return actions.create_delegation(
        actor_of(majun),
        delegator=majun,
        delegate=demo["zhouqiang"],
        permissions=["org.manage", "org.view"],
        starts_at=frozen,
        ends_at=frozen + timedelta(days=7),
        reason="出差一周",
    )


def test_delegate_acts_with_the_delegators_scope_and_the_audit_says_so(demo, hr_delegation):  # ORG-5
    zhouqiang = demo["zhouqiang"].user
    as_delegate = access.actor_for(zhouqiang, origin="test", delegation_id=hr_delegation.pk)
    new = actions.create_unit(
        as_delegate, kind="team", name="临时组", code="realty-cs-temp", parent=unit("realty-cs")
    )
    event = AuditEvent.objects.get(action="org.unit.create", object_id=str(new.pk))
    assert event.actor_name == "zhouqiang" and event.on_behalf_of == "majun"
    # the delegator's scope, not more: 华辰水务 stays out of reach
    with pytest.raises(PermissionDenied):
        actions.create_unit(
            as_delegate, kind="team", name="水务组", code="water-x", parent=unit("water-tech")
        )
    # and only the delegated permissions
    assert not access.can(as_delegate, "audit.view")


def test_delegation_only_works_inside_its_period_and_until_revoked(demo, hr_delegation):  # ORG-5
    zhouqiang = demo["zhouqiang"].user
    clock.advance(timedelta(days=8))
    with pytest.raises(PermissionDenied):
        access.actor_for(zhouqiang, origin="test", delegation_id=hr_delegation.pk)
    clock.advance(timedelta(days=-7))
    as_delegate = access.actor_for(zhouqiang, origin="test", delegation_id=hr_delegation.pk)
    assert access.can(as_delegate, "org.manage")
    actions.revoke_delegation(access.actor_for(demo["majun"].user, origin="test"), hr_delegation)
    with pytest.raises(PermissionDenied):
        access.actor_for(zhouqiang, origin="test", delegation_id=hr_delegation.pk)


def test_delegation_ends_when_the_delegator_leaves(demo, hr_delegation, admin_actor):  # ORG-5 / ORG-6
    zhouqiang = demo["zhouqiang"].user
    assert access.can(
        access.actor_for(zhouqiang, origin="test", delegation_id=hr_delegation.pk), "org.manage"
    )
    actions.update_employee(admin_actor, demo["majun"], status="left")
    with pytest.raises(PermissionDenied):
        access.actor_for(zhouqiang, origin="test", delegation_id=hr_delegation.pk)


def test_only_the_delegate_can_use_a_delegation(demo, hr_delegation):  # ORG-5
    with pytest.raises(PermissionDenied):
        access.actor_for(demo["zhaomin"].user, origin="test", delegation_id=hr_delegation.pk)


def test_delegated_authority_cannot_be_delegated_again(demo, hr_delegation, actor_of, frozen):  # ORG-5
    zhouqiang = demo["zhouqiang"]
    with pytest.raises(Invalid) as err:
        actions.create_delegation(
            actor_of(zhouqiang),
            delegator=zhouqiang,
            delegate=demo["zhaomin"],
            permissions=["org.manage"],
            starts_at=frozen,
            ends_at=frozen + timedelta(days=1),
            reason="转授",
        )
    assert err.value.code == "ORG-5.not_held"


@pytest.mark.parametrize(
    ("delegate", "permissions", "days", "reason", "code"),
    [
        ("majun", ["org.view"], 1, "x", "ORG-5.self"),
        ("zhouqiang", [], 1, "x", "ORG-5.empty"),
        ("zhouqiang", ["org.view"], -1, "x", "ORG-5.period"),
        ("zhouqiang", ["org.view"], 1, "  ", "ORG-5.reason"),
        ("zhouqiang", ["role.manage"], 1, "x", "ORG-5.not_held"),
    ],
)
def test_delegation_rules(demo, actor_of, frozen, delegate, permissions, days, reason, code):  # ORG-5
    majun = demo["majun"]
    with pytest.raises(Invalid) as err:
        actions.create_delegation(
            actor_of(majun),
            delegator=majun,
            delegate=demo[delegate],
            permissions=permissions,
            starts_at=frozen,
            ends_at=frozen + timedelta(days=days),
            reason=reason,
        )
    assert err.value.code == code


def test_only_delegation_managers_record_delegations_for_others(demo, actor_of, frozen):  # ORG-5
    with pytest.raises(PermissionDenied):
        actions.create_delegation(
            actor_of(demo["zhaomin"]),
            delegator=demo["lina"],
            delegate=demo["sunli"],
            permissions=["org.view"],
            starts_at=frozen,
            ends_at=frozen + timedelta(days=1),
            reason="x",
        )
    made = actions.create_delegation(
        actor_of(demo["wangfang"]),
        delegator=demo["lina"],
        delegate=demo["sunli"],
        permissions=["org.view"],
        starts_at=frozen,
        ends_at=frozen + timedelta(days=1),
        reason="主管休假",
    )
    assert made in queries.delegations(actor_of(demo["lina"]))
    # registered for 李娜, not by her: it waits for her (or her superior's) approval (issue 10)
    assert made.state == "pending" and made.registered_by == demo["wangfang"].user


# ---------------------------------------------------------------- ORG-6 personal accounts


def test_accounts_are_personal_and_unique(demo, admin_actor):  # ORG-6
    with pytest.raises(Conflict):
        actions.create_employee(
            admin_actor,
            username="ZhaoMin",
            name="赵敏二",
            number="RE9999",
            unit=unit("realty-cs"),
            post=Post.objects.get(code="cs_specialist"),
        )


def test_leaving_closes_the_account_and_its_tokens(demo, admin_actor, actor_of):  # ORG-6
    zhaomin = demo["zhaomin"]
    _, token = core_actions.create_token(actor_of(zhaomin), user=zhaomin.user, name="脚本")
    assert core_actions.authenticate_token(token) == zhaomin.user
    actions.update_employee(admin_actor, zhaomin, status="left")
    assert not get_user_model().objects.get(pk=zhaomin.user_id).is_active
    assert core_actions.authenticate_token(token) is None


def test_every_write_is_attributed(demo, actor_of):  # ORG-6
    majun = actor_of(demo["majun"])
    actions.update_employee(majun, demo["zhaomin"], email="zm@example.invalid")
    event = AuditEvent.objects.filter(action="org.employee.update").order_by("-id").first()
    assert event.actor_name == "majun"
    assert event.before["email"] != event.after["email"]
