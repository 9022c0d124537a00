"""The organisation API (/api/v1/org/): scopes, permissions, audit and delegation over HTTP."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.core import clock
from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.core.models import AuditEvent
from kefu.org import actions
from kefu.org.models import Employee, Post, Role, Unit

pytestmark = pytest.mark.django_db

API = "/api/v1/org"


class As:
    """A bearer-token client for one person: as_.get(path), as_.post(path, body), …"""

    def __init__(self, client, who):
        user = getattr(who, "user", who)
        _, secret = create_token(Actor(user=user, origin="test"), user=user, name="t")
        self.client = client
        self.headers = {"Authorization": f"Bearer {secret}"}

    def under(self, delegation_id):
        clone = object.__new__(As)
        clone.client = self.client
        clone.headers = self.headers | {"X-Kefu-Delegation": str(delegation_id)}
        return clone

    def get(self, path):
        return self.client.get(API + path, headers=self.headers)

    def _send(self, method, path, body):
        return getattr(self.client, method)(
            API + path, json.dumps(body), content_type="application/json", headers=self.headers
        )

    def post(self, path, body=None):
        return self._send("post", path, body if body is not None else {})

    def patch(self, path, body):
        return self._send("patch", path, body)

    def put(self, path, body):
        return self._send("put", path, body)


def error_code(response, status):
    assert response.status_code == status, response.content
    return response.json()["error"]["code"]


def unit_id(code):
    return Unit.objects.get(code=code).pk


# ---- scopes (ORG-3) ------------------------------------------------------------------------


def test_agent_sees_only_herself(client, demo):
    # ORG-3: an agent's scope is "own"
    zhaomin = As(client, demo["zhaomin"])
    listing = zhaomin.get("/employees").json()
    assert listing["count"] == 1
    assert listing["items"][0]["username"] == "zhaomin"
    assert zhaomin.get(f"/employees/{demo['zhaomin'].pk}").status_code == 200
    # a colleague, and someone of another subsidiary: 404, not 403 (no existence leak)
    assert error_code(zhaomin.get(f"/employees/{demo['lina'].pk}"), 404) == "not_found"
    assert error_code(zhaomin.get(f"/employees/{demo['lvxin'].pk}"), 404) == "not_found"


def test_subsidiary_manager_sees_her_subsidiary_not_the_other(client, demo):
    # ORG-3: "a subsidiary sees itself and below"
    wangfang = As(client, demo["wangfang"])
    assert wangfang.get(f"/employees/{demo['zhaomin'].pk}").status_code == 200
    assert error_code(wangfang.get(f"/employees/{demo['lvxin'].pk}"), 404) == "not_found"
    realty = Unit.objects.get(code="hc-realty")
    expected = Employee.objects.filter(unit__path__startswith=realty.path).count()
    listing = wangfang.get("/employees?limit=200").json()
    assert listing["count"] == expected
    assert {e["unit"]["code"] for e in listing["items"]} <= {
        u.code for u in Unit.objects.filter(path__startswith=realty.path)
    }
    assert error_code(wangfang.get(f"/units/{unit_id('hc-water')}"), 404) == "not_found"
    assert wangfang.get(f"/units/{unit_id('realty-cs')}").status_code == 200


def test_group_executive_sees_everyone(client, demo):
    # ORG-3: "the group sees all subsidiaries"
    zhangwei = As(client, demo["zhangwei"])
    assert zhangwei.get("/employees").json()["count"] == Employee.objects.count()


def test_employee_filters(client, demo):
    admin = As(client, demo["admin"])
    by_unit = admin.get(f"/employees?unit={unit_id('realty-cs')}").json()
    assert {e["username"] for e in by_unit["items"]} >= {"wangfang", "lina", "zhaomin", "wujing"}
    assert "lvxin" not in {e["username"] for e in by_unit["items"]}
    by_q = admin.get("/employees?q=WA000").json()
    assert {e["number"] for e in by_q["items"]} == {"WA0001", "WA0002", "WA0003", "WA0004"}
    post = Post.objects.get(code="cs_specialist")
    by_post = admin.get(f"/employees?post={post.pk}").json()
    assert {e["username"] for e in by_post["items"]} == {"zhaomin", "lvxin"}
    assert admin.get("/employees?status=left").json()["count"] == 0
    assert error_code(admin.get("/employees?status=retired"), 422) == "invalid_input"
    # filtering by a unit outside one's scope is a 404, like reading it
    wangfang = As(client, demo["wangfang"])
    assert error_code(wangfang.get(f"/employees?unit={unit_id('water-cs')}"), 404) == "not_found"


def test_unit_filters(client, demo):
    admin = As(client, demo["admin"])
    teams = admin.get("/units?kind=team").json()
    assert teams["count"] == Unit.objects.filter(kind="team").count()
    assert {u["kind"] for u in teams["items"]} == {"team"}
    assert {u["code"] for u in admin.get("/units?q=water").json()["items"]} == {
        "hc-water",
        "water-cs",
        "water-cs-hotline",
        "water-cs-revisit",
        "water-tech",
    }


def test_phone_is_masked_everywhere(client, demo):
    # SEC-2: the phone never leaves the server in clear through the API
    admin = As(client, demo["admin"])
    detail = admin.get(f"/employees/{demo['zhaomin'].pk}")
    assert detail.json()["phone"] == "138****0003"
    listing = admin.get("/employees?limit=200")
    assert "13801020003" not in listing.content.decode()
    assert "13801020003" not in detail.content.decode()


# ---- writes, permissions (ORG-4) and audit (SEC-6) -----------------------------------------


def test_supervisory_only_role_cannot_create(client, demo):
    # ORG-4: 督导 may view, never act
    tangning = As(client, demo["tangning"])
    assert tangning.get("/employees").json()["count"] == Employee.objects.count()
    response = tangning.post(
        "/units", {"kind": "team", "name": "督导组", "code": "inspect", "parent_id": unit_id("realty-cs")}
    )
    assert error_code(response, 403) == "forbidden"
    assert not Unit.objects.filter(code="inspect").exists()
    post = Post.objects.get(code="cs_specialist")
    response = tangning.post(
        "/employees",
        {
            "username": "newbie",
            "name": "新人",
            "number": "RE0999",
            "unit_id": unit_id("realty-cs-hotline"),
            "post_id": post.pk,
        },
    )
    assert error_code(response, 403) == "forbidden"
    assert not Employee.objects.filter(number="RE0999").exists()


def test_agent_cannot_change_herself(client, demo):
    # ORG-3: seeing a record is not permission to change it
    zhaomin = As(client, demo["zhaomin"])
    assert error_code(zhaomin.patch(f"/employees/{demo['zhaomin'].pk}", {"name": "X"}), 403) == "forbidden"


def _audit(action, object_id):
    """The latest audit row of `action` on the object (the demo load wrote earlier ones)."""
    event = AuditEvent.objects.filter(action=action, object_id=str(object_id)).order_by("-id").first()
    assert event is not None, f"no audit row {action} {object_id}"
    return event


def test_create_unit_writes_audit_with_api_origin(client, demo):
    # SEC-6: every write through the API is audited with where it came from
    admin = As(client, demo["admin"])
    response = admin.post(
        "/units", {"kind": "team", "name": "夜班组", "code": "night", "parent_id": unit_id("realty-cs")}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["kind"] == "team" and body["parent_id"] == unit_id("realty-cs")
    assert body["path"] == Unit.objects.get(code="realty-cs").path + f"{body['id']}/"
    event = _audit("org.unit.create", body["id"])
    assert event.origin.startswith("api token kefu_")
    assert event.actor_name == "admin" and event.on_behalf_of == ""


def test_unit_tree_rule_is_enforced(client, demo):
    # ORG-1: a team sits under a department only
    admin = As(client, demo["admin"])
    response = admin.post(
        "/units", {"kind": "team", "name": "错挂组", "code": "bad", "parent_id": unit_id("hc-realty")}
    )
    assert error_code(response, 400) == "ORG-1.tree"


def test_patch_unit_renames_and_moves(client, demo):
    admin = As(client, demo["admin"])
    team = unit_id("realty-cs-complaints")
    response = admin.patch(f"/units/{team}", {"name": "投诉组", "parent_id": unit_id("realty-sales")})
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "投诉组"
    assert response.json()["path"].startswith(Unit.objects.get(code="realty-sales").path)
    assert _audit("org.unit.update", team).origin.startswith("api token")


def test_create_employee_returns_generated_password_once(client, demo):
    # ORG-6: a personal account per person; the initial password is shown only in this answer
    admin = As(client, demo["admin"])
    post = Post.objects.get(code="cs_specialist")
    response = admin.post(
        "/employees",
        {
            "username": "xiaoming",
            "name": "小明",
            "number": "RE0100",
            "unit_id": unit_id("realty-cs-hotline"),
            "post_id": post.pk,
            "phone": "13912345678",
            "email": "xm@example.invalid",
            "supervisor_ids": [demo["lina"].pk],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["phone"] == "139****5678"
    assert [s["id"] for s in body["supervisors"]] == [demo["lina"].pk]
    password = body["initial_password"]
    assert password and len(password) >= 12
    employee = Employee.objects.get(pk=body["id"])
    assert employee.user.check_password(password)
    assert employee.phone == "13912345678"  # stored (encrypted at rest), answered masked
    event = _audit("org.employee.create", body["id"])
    assert event.origin.startswith("api token")
    # never shown again
    assert "initial_password" not in admin.get(f"/employees/{body['id']}").json()


def test_create_employee_with_given_password_does_not_echo_it(client, demo):
    admin = As(client, demo["admin"])
    post = Post.objects.get(code="cs_specialist")
    response = admin.post(
        "/employees",
        {
            "username": "xiaohong",
            "name": "小红",
            "number": "RE0101",
            "unit_id": unit_id("realty-cs-hotline"),
            "post_id": post.pk,
            "password": "Long-enough-pass-2026",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["initial_password"] is None
    duplicate = admin.post(
        "/employees",
        {
            "username": "XiaoHong",
            "name": "小红",
            "number": "RE0102",
            "unit_id": unit_id("realty-cs-hotline"),
            "post_id": post.pk,
        },
    )
    assert error_code(duplicate, 409) == "username_taken"  # ORG-6: no shared logins


def test_create_employee_validates_input(client, demo):
    admin = As(client, demo["admin"])
    response = admin.post(
        "/employees",
        {
            "username": "bad name",
            "name": "",
            "number": "RE0103",
            "unit_id": unit_id("realty-cs-hotline"),
            "post_id": 999999,
            "email": "not-an-email",
            "employment_type": "forever",
        },
    )
    fields = response.json()["error"]["fields"]
    assert response.status_code == 422
    assert {"username", "name", "email", "employment_type"} <= set(fields)


def test_create_employee_in_a_unit_out_of_scope_is_404(client, demo):
    # ORG-3: hr_admin of the realty subsidiary cannot even name a hc-water unit
    majun = As(client, demo["majun"])
    post = Post.objects.get(code="cs_specialist")
    response = majun.post(
        "/employees",
        {
            "username": "water1",
            "name": "水一",
            "number": "WA0100",
            "unit_id": unit_id("water-cs-hotline"),
            "post_id": post.pk,
        },
    )
    assert error_code(response, 404) == "not_found"


def test_patch_employee_and_leaving_closes_the_account(client, demo):
    # ORG-6: leaving closes the personal account
    admin = As(client, demo["admin"])
    sunli = demo["sunli"]
    response = admin.patch(f"/employees/{sunli.pk}", {"phone": "13700000000", "status": "left"})
    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "137****0000"
    assert response.json()["status"] == "left"
    sunli.user.refresh_from_db()
    assert not sunli.user.is_active
    assert _audit("org.employee.update", sunli.pk).origin.startswith("api token")


def test_set_roles(client, demo):
    # ORG-3: roles carry the scope; PUT replaces the set
    admin = As(client, demo["admin"])
    sunli = demo["sunli"]
    supervisor = Role.objects.get(code="cs_supervisor")
    response = admin.put(f"/employees/{sunli.pk}/roles", {"role_ids": [supervisor.pk]})
    assert response.status_code == 200, response.content
    assert [r["code"] for r in response.json()["roles"]] == ["cs_supervisor"]
    assert As(client, sunli).get("/employees").json()["count"] > 1
    assert _audit("org.employee.roles", sunli.pk).origin.startswith("api token")


def test_manager_cannot_grant_more_than_she_holds(client, demo):
    # ORG-3: nobody hands out more than they hold — wangfang lacks role.manage altogether
    wangfang = As(client, demo["wangfang"])
    admin_role = Role.objects.get(code="admin")
    response = wangfang.put(f"/employees/{demo['zhaomin'].pk}/roles", {"role_ids": [admin_role.pk]})
    assert error_code(response, 403) == "forbidden"


def test_create_and_patch_role(client, demo):
    admin = As(client, demo["admin"])
    response = admin.post(
        "/roles",
        {"code": "auditor", "name": "审计员", "permissions": ["audit.view", "org.view"], "scope": "group"},
    )
    assert response.status_code == 201, response.content
    role_id = response.json()["id"]
    assert response.json()["permissions"] == ["audit.view", "org.view"]
    assert _audit("org.role.create", role_id).origin.startswith("api token")
    patched = admin.patch(f"/roles/{role_id}", {"scope": "subsidiary"})
    assert patched.status_code == 200 and patched.json()["scope"] == "subsidiary"
    assert patched.json()["code"] == "auditor"
    assert admin.get(f"/roles/{role_id}").json()["scope"] == "subsidiary"


def test_supervisory_role_may_not_carry_act_permissions(client, demo):
    # ORG-4: "只有督导权没有行政权"
    admin = As(client, demo["admin"])
    response = admin.post(
        "/roles",
        {
            "code": "bad-inspector",
            "name": "坏督导",
            "permissions": ["org.view", "org.manage"],
            "scope": "group",
            "supervisory_only": True,
        },
    )
    assert error_code(response, 400) == "ORG-4.supervisory_only"


def test_sites_posts_permissions(client, demo):
    admin = As(client, demo["admin"])
    created = admin.post(
        "/sites", {"name": "城西营业厅", "kind": "service_hall", "unit_id": unit_id("hc-water")}
    )
    assert created.status_code == 201, created.content
    site_id = created.json()["id"]
    assert created.json()["unit"]["code"] == "hc-water"
    patched = admin.patch(f"/sites/{site_id}", {"address": "文一路 1 号"})
    assert patched.json()["address"] == "文一路 1 号" and patched.json()["name"] == "城西营业厅"
    assert _audit("org.site.create", site_id).origin.startswith("api token")
    wangfang = As(client, demo["wangfang"])
    assert {s["name"] for s in wangfang.get("/sites").json()["items"]} == {"华辰·云栖案场"}
    assert admin.get("/posts").json()["count"] == Post.objects.count()
    permissions = admin.get("/permissions").json()["items"]
    assert {
        "code": "org.view",
        "kind": "view",
        "zh": "查看组织与人员",
        "en": "View organisation and people",
    } in (permissions)


# ---- delegation (ORG-5) --------------------------------------------------------------------


def _delegate(client, demo, frozen, permissions=("org.view", "org.manage")):
    majun = As(client, demo["majun"])
    response = majun.post(
        "/delegations",
        {
            "delegate_id": demo["zhaomin"].pk,
            "permissions": list(permissions),
            "ends_at": (frozen + timedelta(days=7)).isoformat(),
            "reason": "休假期间代理人事登记",
        },
    )
    assert response.status_code == 201, response.content
    return majun, response.json()


def test_delegation_is_created_and_audited(client, demo, frozen):
    # ORG-5: acting-for with scope (permissions) and period
    _, body = _delegate(client, demo, frozen)
    assert body["delegator"]["id"] == demo["majun"].pk
    assert body["delegate"]["id"] == demo["zhaomin"].pk
    assert body["in_force"] is True
    assert _audit("org.delegation.create", body["id"]).origin.startswith("api token")
    ids = [d["id"] for d in As(client, demo["zhaomin"]).get("/delegations?current=true").json()["items"]]
    assert ids == [body["id"]]


def test_delegate_acts_with_the_delegators_scope_and_audit_says_so(client, demo, frozen):
    # ORG-5: "副总经理…替代总经理职责时受总经理授权" — the act records on whose behalf it was done
    _, body = _delegate(client, demo, frozen)
    zhaomin = As(client, demo["zhaomin"])
    acting = zhaomin.under(body["id"])
    assert zhaomin.get("/employees").json()["count"] == 1
    realty = Unit.objects.get(code="hc-realty")
    in_realty = Employee.objects.filter(unit__path__startswith=realty.path).count()
    assert acting.get("/employees").json()["count"] == in_realty
    assert acting.get(f"/employees/{demo['lvxin'].pk}").status_code == 404  # still not hc-water
    me = zhaomin.client.get("/api/v1/me", headers=acting.headers).json()
    assert me["username"] == "zhaomin" and me["acting_for"] == "majun"

    response = acting.post(
        "/units", {"kind": "team", "name": "代理组", "code": "proxy-team", "parent_id": unit_id("realty-cs")}
    )
    assert response.status_code == 201, response.content
    event = _audit("org.unit.create", response.json()["id"])
    assert event.actor_name == "zhaomin"
    assert event.on_behalf_of == "majun"
    assert event.origin.startswith("api token")
    # without the header she has only her own authority
    response = zhaomin.post(
        "/units", {"kind": "team", "name": "自建组", "code": "own-team", "parent_id": unit_id("realty-cs")}
    )
    assert response.status_code == 404  # she cannot even see the parent unit


def test_delegation_only_in_force_within_its_period_and_until_revoked(client, demo, frozen):
    # ORG-5: the period bounds the delegated authority; revocation ends it at once
    majun, body = _delegate(client, demo, frozen)
    acting = As(client, demo["zhaomin"]).under(body["id"])
    assert acting.get("/employees").status_code == 200
    clock.advance(timedelta(days=7))
    assert error_code(acting.get("/employees"), 403) == "ORG-5.not_in_force"

    clock.reset()
    clock.freeze(frozen)
    assert acting.get("/employees").status_code == 200
    revoked = majun.post(f"/delegations/{body['id']}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    assert revoked.json()["in_force"] is False
    assert error_code(acting.get("/employees"), 403) == "ORG-5.not_in_force"
    assert _audit("org.delegation.revoke", body["id"]).origin.startswith("api token")


def test_someone_elses_delegation_header_is_refused(client, demo, frozen):
    # ORG-5 / ORG-6: only the named delegate may act under a delegation
    _, body = _delegate(client, demo, frozen)
    sunli = As(client, demo["sunli"]).under(body["id"])
    assert error_code(sunli.get("/employees"), 403) == "ORG-5.not_in_force"
    garbage = As(client, demo["zhaomin"]).under("abc")
    assert error_code(garbage.get("/employees"), 403) == "ORG-5.not_in_force"


def test_delegation_rules_are_enforced(client, demo, frozen):
    majun = As(client, demo["majun"])
    base = {
        "delegate_id": demo["zhaomin"].pk,
        "ends_at": (frozen + timedelta(days=1)).isoformat(),
        "reason": "出差",
    }
    # ORG-5: only what the delegator holds through roles
    assert error_code(majun.post("/delegations", base | {"permissions": ["role.manage"]}), 400) == (
        "ORG-5.not_held"
    )
    # ORG-5: the period must end in the future
    past = base | {"permissions": ["org.view"], "ends_at": (frozen - timedelta(days=1)).isoformat()}
    assert error_code(majun.post("/delegations", past), 400) == "ORG-5.period"
    # ORG-5: an aware datetime is required, so "when" is never ambiguous
    naive = base | {"permissions": ["org.view"], "ends_at": "2030-01-01T00:00:00"}
    assert error_code(majun.post("/delegations", naive), 422) == "invalid_input"


# ---- lists: pagination and constant query counts -------------------------------------------


def test_employee_list_query_count_does_not_grow_with_rows(client, demo, admin_user, frozen):
    # list endpoints have a query-count guard (no N+1)
    hotline = Unit.objects.get(code="realty-cs-hotline")
    site = actions.save_site(
        Actor(user=admin_user, origin="test"), name="热线现场", kind="service_hall", unit=hotline
    )
    wangfang = As(client, demo["wangfang"])
    path = f"/employees?unit={hotline.pk}"
    wangfang.get(path)  # warm-up: the token's last_used_at is refreshed once

    def measure(expected_rows):
        with CaptureQueriesContext(connection) as ctx:
            response = wangfang.get(path)
        assert response.json()["count"] == expected_rows
        assert len(response.json()["items"]) == expected_rows
        return len(ctx.captured_queries)

    few = measure(3)
    post = Post.objects.get(code="cs_specialist")
    admin = Actor(user=admin_user, origin="test")
    for i in range(17):
        actions.create_employee(
            admin,
            username=f"bulk{i}",
            name=f"批量{i}",
            number=f"RE9{i:03d}",
            unit=hotline,
            post=post,
            site=site,
            phone=f"1380000{i:04d}",
            supervisors=[demo["lina"]],
        )
    many = measure(20)
    assert few == many
