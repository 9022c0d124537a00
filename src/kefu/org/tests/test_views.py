"""The organisation pages: scope, permissions and forms that write through actions (ORG-1…ORG-6)."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from kefu.core import clock
from kefu.core.models import AuditEvent
from kefu.org.models import Delegation, Employee, Role, Site, Unit


@pytest.fixture
def as_user(demo):
    def sign_in(username):
        client = Client()
        client.force_login(demo[username].user)
        return client

    return sign_in


def last_audit(action):
    return AuditEvent.objects.filter(action=action).order_by("-id").first()


def test_every_org_page_renders_for_a_manager(demo, as_user):
    # ORG-1/ORG-2/ORG-3: the subsidiary manager sees the pages of her part of the tree
    client = as_user("wangfang")
    unit = demo["zhaomin"].unit
    pages = [
        reverse("org:units"),
        reverse("org:employees"),
        reverse("org:employees") + f"?unit={unit.pk}&q=赵&status=active",
        reverse("org:employee", args=[demo["zhaomin"].pk]),
        reverse("org:roles"),
        reverse("org:delegations"),
        reverse("org:delegation_create"),
        reverse("home"),
        reverse("profile"),
        reverse("audit"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url


def test_every_manage_page_renders_for_hr_admin(demo, as_user):
    # ORG-3: hr_admin maintains units and people of their subsidiary
    client = as_user("majun")
    employee = demo["zhaomin"]
    site = Site.objects.get(name="华辰·云栖案场")
    for url in [
        reverse("org:unit_create"),
        reverse("org:unit_edit", args=[employee.unit.pk]),
        reverse("org:site_create"),
        reverse("org:site_edit", args=[site.pk]),
        reverse("org:employee_create"),
        reverse("org:employee_edit", args=[employee.pk]),
    ]:
        assert client.get(url).status_code == 200, url


def test_admin_sees_role_forms(demo, as_user):
    client = as_user("admin")
    role = Role.objects.get(code="agent")
    assert client.get(reverse("org:role_create")).status_code == 200
    assert client.get(reverse("org:role_edit", args=[role.pk])).status_code == 200


def test_agent_cannot_see_another_subsidiarys_employee(demo, as_user):
    # ORG-3: own scope; another subsidiary's person is simply not there (404, no existence leak)
    client = as_user("zhaomin")
    other = demo["lvxin"]
    assert client.get(reverse("org:employee", args=[other.pk])).status_code == 404
    assert client.get(reverse("org:employee", args=[demo["zhaomin"].pk])).status_code == 200
    listing = client.get(reverse("org:employees")).content.decode()
    assert "赵敏" in listing and "吕欣" not in listing


def test_manager_cannot_see_other_subsidiary(demo, as_user):
    # ORG-3: a subsidiary sees itself and below, not its sister company
    client = as_user("wangfang")
    assert client.get(reverse("org:employee", args=[demo["lvxin"].pk])).status_code == 404
    water = Unit.objects.get(code="hc-water")
    assert client.get(reverse("org:employees") + f"?unit={water.pk}").status_code == 200
    assert "吕欣" not in client.get(reverse("org:employees") + f"?unit={water.pk}").content.decode()


def test_inspector_sees_pages_but_cannot_create(demo, as_user):
    # ORG-4: 督导 may view, never act
    client = as_user("tangning")
    assert client.get(reverse("org:units")).status_code == 200
    assert client.get(reverse("org:employees")).status_code == 200
    assert client.get(reverse("org:employee", args=[demo["lvxin"].pk])).status_code == 200
    assert client.get(reverse("org:employee_create")).status_code == 403
    response = client.post(
        reverse("org:unit_create"), {"kind": "team", "name": "督导组", "code": "inspect-team"}
    )
    assert response.status_code == 403
    assert not Unit.objects.filter(code="inspect-team").exists()
    assert client.get(reverse("org:role_create")).status_code == 403
    # and no "create" buttons are offered
    assert reverse("org:employee_create") not in client.get(reverse("org:employees")).content.decode()


def test_agent_cannot_open_manage_pages(demo, as_user):
    # ORG-3: viewing is not maintaining
    client = as_user("zhaomin")
    assert client.get(reverse("org:employee_edit", args=[demo["zhaomin"].pk])).status_code == 403
    assert client.get(reverse("org:unit_create")).status_code == 403


def test_create_unit_via_form_writes_audit(demo, as_user):
    # ORG-1: a team under a department, through the action, audited (SEC-6)
    client = as_user("majun")
    parent = Unit.objects.get(code="realty-cs")
    response = client.post(
        reverse("org:unit_create"),
        {"kind": "team", "name": "回访二组", "code": "realty-cs-revisit2", "parent": parent.pk},
    )
    assert response.status_code == 302
    unit = Unit.objects.get(code="realty-cs-revisit2")
    assert unit.parent == parent and unit.path.startswith(parent.path)
    event = last_audit("org.unit.create")
    assert event.object_id == str(unit.pk) and event.actor_name == "majun"
    assert event.origin.startswith("web")


def test_unit_tree_rule_shows_on_the_form(demo, as_user):
    # ORG-1: a team cannot sit directly under a subsidiary; the error is shown, not a 500
    client = as_user("majun")
    realty = Unit.objects.get(code="hc-realty")
    response = client.post(
        reverse("org:unit_create"),
        {"kind": "team", "name": "错误的组", "code": "bad-team", "parent": realty.pk},
    )
    assert response.status_code == 200
    assert "不能挂在该上级之下" in response.content.decode()
    assert not Unit.objects.filter(code="bad-team").exists()


def test_unit_form_with_bad_input_rerenders(demo, as_user):
    client = as_user("majun")
    response = client.post(reverse("org:unit_create"), {"kind": "nonsense", "name": "", "code": "no spaces"})
    assert response.status_code == 200
    assert "field-error" in response.content.decode()


def test_unit_edit_and_duplicate_code(demo, as_user):
    client = as_user("majun")
    unit = Unit.objects.get(code="realty-finance")
    data = {"name": "财务管理部", "code": "realty-finance", "parent": unit.parent_id, "is_active": "on"}
    assert client.post(reverse("org:unit_edit", args=[unit.pk]), data).status_code == 302
    unit.refresh_from_db()
    assert unit.name == "财务管理部"
    data["code"] = "realty-cs"  # taken
    response = client.post(reverse("org:unit_edit", args=[unit.pk]), data)
    assert response.status_code == 200
    assert "已存在" in response.content.decode()


def test_site_create(demo, as_user):
    client = as_user("majun")
    realty = Unit.objects.get(code="hc-realty")
    response = client.post(
        reverse("org:site_create"),
        {"name": "华辰·滨江案场", "kind": "showroom", "unit": realty.pk, "address": "滨江区"},
    )
    assert response.status_code == 302
    assert Site.objects.filter(name="华辰·滨江案场").exists()
    assert last_audit("org.site.create") is not None


def test_site_and_role_edit_forms_start_from_the_record_and_save_it(demo, as_user):
    # ORG-1, ORG-3: the same page edits what it created
    client = as_user("admin")
    site = Site.objects.get(name="华辰·云栖案场")
    body = client.get(reverse("org:site_edit", args=[site.pk])).content.decode()
    assert 'value="华辰·云栖案场"' in body
    response = client.post(
        reverse("org:site_edit", args=[site.pk]),
        {"name": "华辰·云栖二期案场", "kind": site.kind, "unit": site.unit_id, "address": "云栖路"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("org:units")
    site.refresh_from_db()
    assert (site.name, site.address) == ("华辰·云栖二期案场", "云栖路")
    role = Role.objects.get(code="agent")
    body = client.get(reverse("org:role_edit", args=[role.pk])).content.decode()
    assert f'value="{role.name}"' in body
    response = client.post(
        reverse("org:role_edit", args=[role.pk]),
        {"code": role.code, "name": "坐席", "scope": role.scope, "permissions": role.permissions},
    )
    assert response.status_code == 302 and response["Location"] == reverse("org:roles")
    role.refresh_from_db()
    assert role.name == "坐席"


def test_create_employee_shows_generated_password_once(demo, as_user):
    # ORG-2, ORG-6: a personal account is created with the employee; the password is shown once
    client = as_user("majun")
    unit = Unit.objects.get(code="realty-cs-hotline")
    post = demo["zhaomin"].post
    response = client.post(
        reverse("org:employee_create"),
        {
            "username": "qianduo",
            "name": "钱多",
            "number": "RE0099",
            "unit": unit.pk,
            "post": post.pk,
            "employment_type": "probation",
            "phone": "13800001111",
            "email": "qianduo@example.invalid",
            "supervisors": [demo["lina"].pk],
        },
    )
    assert response.status_code == 200
    employee = Employee.objects.get(number="RE0099")
    body = response.content.decode()
    password = re.search(r'id="shown-password" class="token-value">([^<]+)<', body).group(1)
    assert employee.user.check_password(password)
    assert list(employee.supervisors.all()) == [demo["lina"]]
    assert employee.phone == "13800001111"
    event = last_audit("org.employee.create")
    assert event.object_id == str(employee.pk)
    assert "13800001111" not in str(event.after)  # SEC-1: personal data never in the log in clear
    # the list shows the phone masked (SEC-2)
    listing = client.get(reverse("org:employees") + "?q=钱多").content.decode()
    assert "138****1111" in listing and "13800001111" not in listing


def test_create_employee_with_roles_by_admin(demo, as_user):
    client = as_user("admin")
    unit = Unit.objects.get(code="water-cs-hotline")
    role = Role.objects.get(code="agent")
    response = client.post(
        reverse("org:employee_create"),
        {
            "username": "sunmeng",
            "name": "孙梦",
            "number": "WA0099",
            "unit": unit.pk,
            "post": demo["lvxin"].post.pk,
            "employment_type": "regular",
            "password": "a-Strong-passphrase-2026",
            "roles": [role.pk],
        },
    )
    assert response.status_code == 302
    employee = Employee.objects.get(number="WA0099")
    assert [a.role.code for a in employee.role_assignments.all()] == ["agent"]
    assert last_audit("org.employee.roles").object_id == str(employee.pk)


def test_create_employee_errors_rerender(demo, as_user):
    client = as_user("majun")
    unit = Unit.objects.get(code="realty-cs-hotline")
    base = {
        "name": "重复",
        "number": "RE0098",
        "unit": unit.pk,
        "post": demo["zhaomin"].post.pk,
        "employment_type": "regular",
    }
    # ORG-6: usernames are personal and unique
    response = client.post(reverse("org:employee_create"), {**base, "username": "zhaomin"})
    assert response.status_code == 200
    assert "登录名已被使用" in response.content.decode()
    # weak password: the validators' messages show at the field
    response = client.post(reverse("org:employee_create"), {**base, "username": "newbie", "password": "123"})
    assert response.status_code == 200
    assert "密码不符合要求" in response.content.decode()
    assert not Employee.objects.filter(number="RE0098").exists()


def test_hr_admin_cannot_create_employee_in_other_subsidiary(demo, as_user):
    # ORG-3: the water company is not in the realty hr_admin's scope; it is not even offered
    client = as_user("majun")
    water = Unit.objects.get(code="water-cs")
    response = client.post(
        reverse("org:employee_create"),
        {
            "username": "outsider",
            "name": "外人",
            "number": "WA0098",
            "unit": water.pk,
            "post": demo["zhaomin"].post.pk,
            "employment_type": "regular",
        },
    )
    assert response.status_code == 200
    assert not Employee.objects.filter(number="WA0098").exists()


def test_edit_employee_keeps_phone_and_closes_account_on_leaving(demo, as_user):
    # ORG-6: leaving closes the personal account
    client = as_user("majun")
    employee = demo["sunli"]
    data = {
        "name": "孙丽",
        "number": employee.number,
        "unit": employee.unit.pk,
        "post": employee.post.pk,
        "employment_type": "regular",
        "confirmed_on": "2024-03-01",
        "status": "left",
        "phone": "",
        "email": employee.email,
        "supervisors": [demo["lina"].pk],
    }
    response = client.post(reverse("org:employee_edit", args=[employee.pk]), data)
    assert response.status_code == 302
    employee.refresh_from_db()
    employee.user.refresh_from_db()
    assert employee.status == "left" and not employee.user.is_active
    assert employee.phone == "13801020004"  # empty field kept the number on file
    assert last_audit("org.employee.update").object_id == str(employee.pk)


def test_reset_password(demo, as_user):
    client = as_user("majun")
    employee = demo["sunli"]
    response = client.post(reverse("org:employee_password", args=[employee.pk]), {"password": ""})
    assert response.status_code == 200
    password = re.search(r'id="shown-password" class="token-value">([^<]+)<', response.content.decode())
    employee.user.refresh_from_db()
    assert employee.user.check_password(password.group(1))
    assert last_audit("org.employee.reset_password").object_id == str(employee.pk)


def test_roles_list_shows_scope_and_supervisory_badge(demo, as_user):
    # ORG-3 / ORG-4
    body = as_user("wangfang").get(reverse("org:roles")).content.decode()
    assert "督导" in body and "仅督导" in body
    assert "查看组织与人员" in body


def test_create_role_via_form(demo, as_user):
    client = as_user("admin")
    response = client.post(
        reverse("org:role_create"),
        {
            "code": "night-lead",
            "name": "夜班组长",
            "scope": "team",
            "permissions": ["org.view", "audit.view"],
        },
    )
    assert response.status_code == 302
    role = Role.objects.get(code="night-lead")
    assert role.permissions == ["audit.view", "org.view"]
    assert last_audit("org.role.create").object_id == str(role.pk)


def test_supervisory_role_cannot_hold_act_permissions(demo, as_user):
    # ORG-4: the rule is enforced by the action and shown on the form
    client = as_user("admin")
    response = client.post(
        reverse("org:role_create"),
        {
            "code": "bad-inspector",
            "name": "坏督导",
            "scope": "group",
            "supervisory_only": "on",
            "permissions": ["org.view", "org.manage"],
        },
    )
    assert response.status_code == 200
    assert "督导角色只能查看和评论" in response.content.decode()
    assert not Role.objects.filter(code="bad-inspector").exists()


def _delegation_form(delegator, delegate, **extra):
    start = clock.now() + timedelta(hours=1)
    return {
        "delegator": delegator.pk,
        "delegate": delegate.pk,
        "permissions": ["org.view"],
        "starts_at": (start + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"),  # Shanghai wall time
        "ends_at": (start + timedelta(days=3, hours=8)).strftime("%Y-%m-%dT%H:%M"),
        "reason": "出差期间代为处理",
        **extra,
    }


def test_create_and_revoke_delegation(demo, frozen, as_user):
    # ORG-5: acting-for with scope and period; the period is read in Asia/Shanghai
    client = as_user("wangfang")
    data = _delegation_form(demo["wangfang"], demo["lina"])
    response = client.post(reverse("org:delegation_create"), data)
    assert response.status_code == 302
    delegation = Delegation.objects.get(delegator=demo["wangfang"], delegate=demo["lina"])
    assert delegation.starts_at == frozen + timedelta(hours=1)
    assert delegation.permissions == ["org.view"]
    assert last_audit("org.delegation.create").object_id == str(delegation.pk)
    listing = client.get(reverse("org:delegations")).content.decode()
    assert "出差期间代为处理" in listing
    response = client.post(reverse("org:delegation_revoke", args=[delegation.pk]))
    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.revoked_at == frozen
    assert last_audit("org.delegation.revoke").object_id == str(delegation.pk)


def test_a_registered_delegation_shows_as_awaiting_approval(demo, frozen, as_user):
    # ORG-5: 马军 registers 李娜's delegation to 孙丽; it is pending until 李娜 (or 王芳) approves, and the
    # page says so — to the registrar and to 李娜, who is sent to her approvals
    client = as_user("majun")
    response = client.post(reverse("org:delegation_create"), _delegation_form(demo["lina"], demo["sunli"]))
    assert response.status_code == 302
    delegation = Delegation.objects.get(delegator=demo["lina"], delegate=demo["sunli"])
    assert delegation.state == "pending" and not delegation.is_active_at(frozen + timedelta(hours=2))
    flashed = client.get(reverse("org:delegations")).content.decode()
    assert "须经 李娜 本人或其上级批准后生效" in flashed and "待批准" in flashed
    page = as_user("lina").get(reverse("org:delegations")).content.decode()
    assert "待批准" in page and "由 马军 登记" in page and reverse("workflow:approvals") in page


def test_supervisory_only_person_has_nothing_to_delegate(demo, as_user):
    # ORG-4: 唐宁's roles are supervisory-only: no "new delegation" button, the form refuses with why
    client = as_user("tangning")
    assert reverse("org:delegation_create") not in client.get(reverse("org:delegations")).content.decode()
    response = client.get(reverse("org:delegation_create"))
    assert response.status_code == 403 and "只有督导权没有行政权" in response.content.decode()


def test_delegation_permissions_limited_to_what_delegator_holds(demo, frozen, as_user):
    # ORG-5: only permissions the delegator holds can be offered or delegated
    client = as_user("zhaomin")
    page = client.get(reverse("org:delegation_create")).content.decode()
    assert 'value="org.view"' in page and 'value="audit.view"' not in page
    response = client.post(
        reverse("org:delegation_create"),
        _delegation_form(demo["zhaomin"], demo["zhaomin"], permissions=["audit.view"]),
    )
    assert response.status_code == 200
    assert not Delegation.objects.exists()


def test_delegation_rules_show_on_form(demo, frozen, as_user):
    # ORG-5: a period that ends before it starts is refused with the rule's message
    client = as_user("wangfang")
    data = _delegation_form(demo["wangfang"], demo["lina"])
    data["ends_at"] = data["starts_at"]
    response = client.post(reverse("org:delegation_create"), data)
    assert response.status_code == 200
    assert "授权期限无效" in response.content.decode()


def test_delegator_change_refreshes_permissions_with_htmx(demo, as_user):
    # ORG-5: a manager picks another delegator; the permission choices follow that person's roles
    client = as_user("wangfang")
    response = client.get(
        reverse("org:delegation_create") + f"?delegator={demo['zhaomin'].pk}",
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'value="org.view"' in body and 'value="delegation.manage"' not in body


def test_employee_filter_returns_partial_for_htmx(demo, as_user):
    client = as_user("wangfang")
    response = client.get(reverse("org:employees") + "?q=李娜", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body and "李娜" in body and "赵敏" not in body
