"""The attacks of issue 10 that take more than one request, as explicit rows, and the ORG-5 rules of
acting under a delegation. The one-request attacks are cells of the matrix (see `known.py`):
唐宁 delegating, filing access requests and uploading attachments (ORG-4); 赵敏, 吕欣, 黄磊 and 林晓
creating customers in the other subsidiary (ORG-3).

Each row asserts the outcome that matters (what the attacker ends up seeing or holding), not one
status code, so that any of the designs the issue allows (refuse, or create pending approval) passes.
"""

from datetime import timedelta

import pytest

from kefu.core import clock
from tests.authz.http import as_user

pytestmark = pytest.mark.django_db


def _delegate(world, user, *, delegator, delegate, permissions):
    return as_user(
        world,
        user,
        "POST",
        "/api/v1/org/delegations",
        {
            "delegator_id": world.ids[f"employee:{delegator}"],
            "delegate_id": world.ids[f"employee:{delegate}"],
            "permissions": permissions,
            "ends_at": (clock.now() + timedelta(days=3)).isoformat(),
            "reason": "代理（攻击复现）",
        },
    )


def _under(response) -> dict:
    """The header that acts under the delegation the response created (an unknown id otherwise)."""
    made = response.json().get("id") if response.status_code in (200, 201, 202) else None
    return {"HTTP_X_KEFU_DELEGATION": str(made or 999_999)}


def test_majun_cannot_grant_himself_a_colleagues_full_view(cell):  # ORG-5 SEC-2
    """马军 (HR, delegation.manage, no customer.view_full) delegates 王芳's full view to himself."""
    world = cell
    made = _delegate(
        world,
        "majun",
        delegator="wangfang",
        delegate="majun",
        permissions=["customer.view", "customer.view_full"],
    )
    phone = world.phones["customer:wangfang"]
    seen = as_user(
        world, "majun", "GET", f"/api/v1/customers/{world.ids['customer:wangfang']}", **_under(made)
    )
    assert phone not in seen.content.decode(), (made.status_code, seen.status_code)
    assert made.status_code not in (200, 201) or made.json().get("state") not in (None, "active")


def test_wangfang_cannot_grant_herself_majuns_ruling_right(cell):  # ORG-5 CLM-6
    """王芳 (delegation.manage over 华辰置业) takes 马军's claim.rule and rules a 撞单 dispute with it."""
    world = cell
    made = _delegate(
        world,
        "wangfang",
        delegator="majun",
        delegate="wangfang",
        permissions=["claim.rule", "discipline.confirm"],
    )
    ruled = as_user(
        world,
        "wangfang",
        "POST",
        f"/api/v1/claims/disputes/{world.ids['dispute:realty']}/rule",
        {"outcome": "owner_upheld", "ruling": "攻击复现"},
        **_under(made),
    )
    assert ruled.status_code in (403, 404), (made.status_code, ruled.status_code, ruled.content[:200])


def test_a_delegation_manager_never_delegates_to_themself(cell):  # ORG-5
    """The rule that already holds for one's own rights ("not to oneself") — control row."""
    made = _delegate(cell, "majun", delegator="majun", delegate="majun", permissions=["claim.rule"])
    assert made.status_code == 400 and made.json()["error"]["code"] == "ORG-5.self"


def test_tangning_cannot_widen_zhaomins_case_view(cell):  # ORG-4 ORG-5
    """唐宁 (督导, group-wide case.view) delegates it to 赵敏, who then lists 华辰水务's cases."""
    world = cell
    made = _delegate(world, "tangning", delegator="tangning", delegate="zhaomin", permissions=["case.view"])
    listed = as_user(world, "zhaomin", "GET", "/api/v1/cases?limit=200", **_under(made))
    seen = {row["id"] for row in listed.json().get("items", [])} if listed.status_code == 200 else set()
    water = {world.ids["case:lvxin"], world.ids["case:xuhao"], world.ids["queued:water"]}
    assert not seen & water, (made.status_code, sorted(seen & water))


# ---- cross-subsidiary disclosure by phone (ORG-3, SEC-2) ---------------------------------------------

DISCLOSURE = [
    # (caller, customer of the other subsidiary)
    ("gaofeng", "customer:huanglei"),
    ("lvxin", "customer:zhaomin"),
    ("zhaomin", "customer:lvxin"),
    ("wangfang", "customer:gaofeng"),
]


def _intake(world, user, phone):
    body = {"kind": "consultation", "channel": "phone", "title": "t", "customer": {"phone": phone}}
    return as_user(world, user, "POST", "/api/v1/cases", body)


@pytest.mark.parametrize(
    ("user", "key"),
    DISCLOSURE,
)
def test_case_intake_does_not_disclose_another_subsidiarys_customer(cell, user, key):  # ORG-3 SEC-2
    """高峰 receives a call from a 华辰置业 customer's phone: the case must not show that customer."""
    world = cell
    answer = _intake(world, user, world.phones[key])
    assert answer.status_code < 500
    text = answer.content.decode()
    shown = (answer.json().get("customer") or {}) if answer.status_code in (200, 201) else {}
    assert shown.get("id") != world.ids[key] and f"矩阵客户{key.split(':')[1]}" not in text, text[:300]


def test_case_intake_links_a_customer_in_scope(cell):  # ORG-3 — the other side of the same rule
    world = cell
    answer = _intake(world, "gaofeng", world.phones["customer:lvxin"])
    assert answer.status_code == 201
    assert (answer.json().get("customer") or {}).get("id") == world.ids["customer:lvxin"]


def test_claim_registration_does_not_disclose_an_archive_customer_out_of_scope(cell):  # CLM-1 ORG-3
    """黄磊 registers the phone of a 华辰水务 archive customer he may not see."""
    world = cell
    body = {
        "customer": {
            "name": "某先生",
            "phone": world.phones["customer:lvxin"],
            "address": "杭州市解放路 1 号",
        }
    }
    answer = as_user(world, "huanglei", "POST", "/api/v1/claims", body)
    assert answer.status_code < 500
    text = answer.content.decode()
    assert "矩阵客户lvxin" not in text, text[:300]
    if answer.status_code == 201:
        assert answer.json()["customer_id"] != world.ids["customer:lvxin"]


# ---- the claim holder stays hidden from the challenger until the ruling (CLM-1, CLM-6) ----------------


def test_dispute_page_hides_the_holder_from_the_challenger(cell):  # CLM-1 CLM-6
    world = cell
    raised = as_user(
        world,
        "huanglei",
        "POST",
        "/api/v1/claims/disputes",
        {"phone": world.phones["claim:heping"], "reason": "我先接待", "evidence": "来访登记"},
    )
    assert raised.status_code == 201 and "何平" not in raised.content.decode()
    page = as_user(world, "huanglei", "GET", f"/claims/disputes/{raised.json()['id']}/", session=True)
    assert page.status_code in (200, 404)
    assert "何平" not in page.content.decode() and "RE0008" not in page.content.decode()


# ---- tokens -------------------------------------------------------------------------------------------


def test_a_token_cannot_mint_tokens(cell):  # ORG-6 SEC-10
    answer = as_user(cell, "zhaomin", "POST", "/api/v1/tokens", {"name": "由令牌创建"})
    assert answer.status_code in (401, 403), answer.status_code


# ---- acting under a delegation (ORG-5) ------------------------------------------------------------------


def _acting(world, delegator, delegate, permissions):
    made = _delegate(world, delegator, delegator=delegator, delegate=delegate, permissions=permissions)
    assert made.status_code == 201, made.content[:300]
    return _under(made)


def test_a_delegate_acts_within_the_delegators_scope(cell):  # ORG-5 ORG-3
    """王芳 (客服经理, 华辰置业) lends 李娜 her customer.manage: 李娜 may then assign 王芳's customer
    (outside 李娜's own department) — and still not a customer of 华辰水务."""
    world = cell
    header = _acting(world, "wangfang", "lina", ["customer.manage", "customer.view"])
    inside = world.ids["customer:linxiao"]  # 营销部: beyond 李娜's department, within 王芳's company
    assert as_user(
        world, "lina", "POST", f"/api/v1/customers/{inside}/contact-records", {"note": "x"}
    ).status_code in (403, 404)
    acted = as_user(
        world, "lina", "POST", f"/api/v1/customers/{inside}/contact-records", {"note": "代理"}, **header
    )
    assert acted.status_code == 201, acted.content[:300]
    outside = world.ids["customer:lvxin"]
    refused = as_user(
        world, "lina", "POST", f"/api/v1/customers/{outside}/contact-records", {"note": "x"}, **header
    )
    assert refused.status_code in (403, 404)


def test_a_delegate_gets_only_the_delegated_rights(cell):  # ORG-5
    world = cell
    header = _acting(world, "wangfang", "lina", ["customer.view"])
    customer = world.ids["customer:linxiao"]
    refused = as_user(
        world, "lina", "POST", f"/api/v1/customers/{customer}/contact-records", {"note": "x"}, **header
    )
    assert refused.status_code in (403, 404)


def test_a_revoked_delegation_gives_nothing(cell):  # ORG-5
    world = cell
    header = _acting(world, "wangfang", "lina", ["customer.manage", "customer.view"])
    revoked = as_user(
        world, "wangfang", "POST", f"/api/v1/org/delegations/{header['HTTP_X_KEFU_DELEGATION']}/revoke"
    )
    assert revoked.status_code == 200
    customer = world.ids["customer:linxiao"]
    refused = as_user(
        world, "lina", "POST", f"/api/v1/customers/{customer}/contact-records", {"note": "x"}, **header
    )
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "ORG-5.not_in_force"


def test_someone_else_cannot_use_a_delegation(cell):  # ORG-5 ORG-6
    world = cell
    header = _acting(world, "wangfang", "lina", ["customer.manage", "customer.view"])
    customer = world.ids["customer:linxiao"]
    refused = as_user(
        world, "zhaomin", "POST", f"/api/v1/customers/{customer}/contact-records", {"note": "x"}, **header
    )
    assert refused.status_code == 403
