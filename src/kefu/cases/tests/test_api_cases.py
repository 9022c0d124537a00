"""The case HTTP API (issue 5 "API"): intake with due times and idempotency, the scoped list and its
filters, the detail (masking, audit, clocks, transitions, why), handling endpoints and bad input."""

from datetime import timedelta

import pytest
from django.test import Client

from kefu.cases.models import Case, CaseKind, CaseState, IdempotencyKey
from kefu.core import clock
from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.core.models import AuditEvent

BODY = {
    "kind": "consultation",
    "channel": "phone",
    "title": "咨询交房时间",
    "description": "客户来电询问 3 号楼交房时间",
    "customer": {"name": "钱先生", "phone": "13512345678"},
}


def bearer(user) -> dict:
    _, token = create_token(Actor(user=user, origin="test"), user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def api(demo, groups, frozen):
    """api(username) → a client calling as that person: .get/.post/.put(path, body=None, **headers)."""

    class Caller:
        def __init__(self, username):
            self.client = Client()
            self.auth = bearer(demo[username].user)

        def get(self, path, params=None):
            return self.client.get(f"/api/v1/cases{path}", params or {}, **self.auth)

        def post(self, path, body=None, **headers):
            return self.client.post(
                f"/api/v1/cases{path}", body or {}, content_type="application/json", **self.auth, **headers
            )

        def put(self, path, body):
            return self.client.put(f"/api/v1/cases{path}", body, content_type="application/json", **self.auth)

    return Caller


def _error(response, status):
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] and error["messages"]["zh-hans"] and error["messages"]["en"]
    return error


# ── intake ──────────────────────────────────────────────────────────────────────────────────────
@pytest.mark.django_db
def test_case1_create_answers_the_case_with_its_due_times(api, demo):  # CASE-1, SLA-2, API
    created = api("zhaomin").post("", BODY)
    assert created.status_code == 201, created.content
    case = created.json()
    assert case["number"].startswith("KF-20260302-") and case["kind"] == "consultation"
    assert case["state"] == "routed" and case["owner"]["name"] in ("赵敏", "孙丽")
    due = case["due"]
    assert due["first_response"] and due["resolution"] and due["next_update"] is None
    assert case["next_due_at"] == min(due["first_response"], due["resolution"])
    stored = Case.objects.get(pk=case["id"])
    assert stored.channel == "phone" and stored.contact_phone == "13512345678"
    assert {c["name"] for c in case["clocks"]} == {"first_response", "resolution"}
    assert case["contact"]["masked"] is True and case["contact"]["phone"] != "13512345678"


@pytest.mark.django_db
def test_case1_every_glossary_kind_code_is_accepted(api):  # CASE-1
    codes = [
        "consultation",
        "complaint",
        "suggestion",
        "feedback",
        "help_request",
        "repair",
        "service_request",
        "rescue",
        "internal_report",
        "important_event",
    ]
    caller = api("zhaomin")
    kinds = {k["code"]: k for k in caller.get("/kinds").json()}
    assert set(codes) <= set(kinds)
    for code in codes:
        extra = {f["name"]: f["choices"][0] for f in kinds[code]["fields"] if f.get("required")}
        answer = caller.post("", {**BODY, "kind": code, "title": f"{code} 测试", "extra": extra})
        assert answer.status_code == 201, (code, answer.content)
        assert answer.json()["kind"] == code and answer.json()["family"] == code


@pytest.mark.django_db
def test_case1_a_subsidiarys_own_kind_with_its_fields(api, demo):  # CASE-1
    from kefu.org.models import Unit, UnitKind

    subsidiary = Unit.objects.get(pk__in=demo["zhaomin"].unit.ancestor_ids(), kind=UnitKind.SUBSIDIARY)
    CaseKind.objects.create(
        unit=subsidiary,
        code="repair",
        family="repair",
        name="物业报修",
        fields=[{"name": "room", "label": "房号", "type": "text", "required": True}],
    )
    caller = api("zhaomin")
    kinds = {k["code"]: k for k in caller.get("/kinds").json()}
    assert kinds["repair"]["name"] == "物业报修" and kinds["repair"]["own"] is True
    assert kinds["repair"]["fields"][0]["name"] == "room"
    refused = _error(caller.post("", {**BODY, "kind": "repair"}), 400)
    assert refused["code"] == "case_extra_required" and "room" in refused["fields"]
    made = caller.post("", {**BODY, "kind": "repair", "extra": {"room": "3-1202"}})
    assert made.status_code == 201 and made.json()["kind_name"] == "物业报修"
    assert made.json()["extra"] == {"room": "3-1202"}
    # another subsidiary's caller gets the shipped kind
    other = api("lvxin").get("/kinds").json()
    assert next(k for k in other if k["code"] == "repair")["own"] is False


@pytest.mark.django_db
def test_case2_channels_customer_id_and_identity(api, demo, actor_of):  # CASE-2
    from kefu.customers import actions as customer_actions

    customer = customer_actions.create_customer(
        actor_of(demo["zhaomin"]), name="钱先生", phone="13512340000", unit=demo["zhaomin"].unit
    )
    caller = api("zhaomin")
    for channel in ("phone", "email", "web", "chat", "letter", "sms", "walk_in", "api"):
        body = {k: v for k, v in BODY.items() if k != "customer"}
        made = caller.post("", {**body, "channel": channel, "customer_id": customer.pk})
        assert made.status_code == 201, made.content
        assert made.json()["channel"] == channel and made.json()["customer"]["id"] == customer.pk
        assert made.json()["customer"]["phone"] != "13512340000"  # masked summary
    case = made.json()
    assert case["identity_verified"] is False
    holder = Case.objects.get(pk=case["id"]).owner.user.username
    verified = api(holder).post(f"/{case['id']}/verify-identity")
    assert verified.status_code == 200 and verified.json()["identity_verified"] is True
    assert AuditEvent.objects.filter(action="cases.verify_identity").exists()
    # a customer outside the caller's scope is not found
    assert _error(api("lvxin").post("", {**body, "customer_id": customer.pk}), 404)["code"] == "not_found"


@pytest.mark.django_db
def test_api_idempotency_key_never_makes_two_cases(api):  # API, CASE-1
    caller = api("zhaomin")
    first = caller.post("", BODY, HTTP_IDEMPOTENCY_KEY="form-123")
    again = caller.post("", BODY, HTTP_IDEMPOTENCY_KEY="form-123")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert Case.objects.count() == 1
    # the key is per caller: someone else's same key is their own case
    other = api("sunli").post("", BODY, HTTP_IDEMPOTENCY_KEY="form-123")
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
    assert IdempotencyKey.objects.count() == 2
    assert caller.post("", BODY).status_code == 201  # without a key: a new case each time


# ── bad input: always a 4xx with the bilingual envelope ─────────────────────────────────────────
@pytest.mark.django_db
def test_api_bad_input_answers_4xx_with_the_envelope(api):  # API
    caller = api("zhaomin")
    assert _error(caller.post("", {**BODY, "kind": "nonsense"}), 400)["code"] == "case_kind_unknown"
    assert _error(caller.post("", {**BODY, "channel": "pigeon"}), 422)["code"] == "invalid_input"
    assert _error(caller.post("", {**BODY, "title": "   "}), 400)["code"] == "case_field_required"
    assert _error(caller.post("", {**BODY, "title": "x" * 201}), 422)["fields"]
    assert _error(caller.post("", {**BODY, "priority": "asap"}), 422)
    assert _error(caller.post("", {**BODY, "surprise": 1}), 422)
    assert _error(caller.post("", {k: v for k, v in BODY.items() if k != "customer"}), 400)["code"] == (
        "case_customer_required"
    )
    assert _error(caller.post("", {**BODY, "customer_id": 2**70}), 422)
    assert _error(caller.post("", {**BODY, "customer": {"name": "x", "phone": "abc"}}), 400)
    assert _error(caller.post("", {**BODY, "unit_id": 999999}), 404)
    assert _error(caller.get("", {"received_from": "2026-13-01"}), 400)["code"] == "case_date_invalid"
    assert _error(caller.get("", {"received_from": "2026-03-05", "received_to": "2026-03-01"}), 400)
    assert _error(caller.get("", {"state": "open,nonsense"}), 400)["code"] == "case_state_invalid"
    assert _error(caller.get("", {"owner": "abc"}), 400)["code"] == "case_owner_invalid"
    assert _error(caller.get("", {"customer": "abc"}), 422)
    assert _error(caller.get("", {"customer": str(2**70)}), 422)
    assert _error(caller.get("", {"offset": str(2**40)}), 422)
    assert _error(caller.get("/abc"), 404)
    assert _error(caller.get(f"/{2**70}"), 404)
    assert _error(caller.get("/0"), 404)
    case = caller.post("", BODY).json()
    wrong = _error(caller.post(f"/{case['id']}/transitions", {"to": "fly"}), 400)
    assert wrong["code"] == "case_transition_unknown"
    not_now = caller.post(f"/{case['id']}/transitions", {"to": "close"})
    assert 400 <= not_now.status_code < 500 and not_now.json()["error"]["messages"]["en"]
    assert _error(caller.post(f"/{case['id']}/transitions", {"to": "route"}), 400)["code"] == (
        "case_transition_use_assign"
    )
    assert _error(caller.post(f"/{case['id']}/transfer", {"reason": "", "to_owner_id": 1}), 400)
    assert _error(caller.post(f"/{case['id']}/transfer", {"to_owner_id": 1}), 422)
    assert _error(caller.post(f"/{case['id']}/escalate", {"reason": " "}), 400)["code"] == "WF-6.reason"
    assert _error(caller.post(f"/{case['id']}/comments", {"body": ""}), 400)["code"] == "case_field_required"
    assert _error(caller.post(f"/{case['id']}/assign", {"owner_id": 2**62}), 400)
    assert _error(caller.put("/availability/abc", {"available": False}), 404)
    assert _error(caller.put(f"/availability/{2**70}", {"available": False}), 404)
    assert _error(caller.get(f"/{case['id']}/attachments/{2**70}/download"), 404)


@pytest.mark.django_db
def test_route1_availability_out_of_scope_answers_like_a_missing_employee(api, demo):  # ROUTE-1 ORG-3
    """Issue 10 follow-up: 赵敏 (own scope, 华辰置业) aiming at 高峰 (华辰水务) got 403 while an unknown id
    got 404 — the refusal confirmed that the employee exists. Both now answer the same 404; a colleague
    the caller sees (吴静, department scope, sees 李娜) but may not mark still gets the 403 that says why."""
    zhaomin = api("zhaomin")
    other = _error(zhaomin.put(f"/availability/{demo['gaofeng'].pk}", {"available": False}), 404)
    missing = _error(zhaomin.put(f"/availability/{2**40}", {"available": False}), 404)
    assert other == missing
    assert _error(api("gaofeng").put(f"/availability/{demo['lina'].pk}", {"available": False}), 404)
    seen = _error(api("wujing").put(f"/availability/{demo['lina'].pk}", {"available": False}), 403)
    assert seen["code"] == "case_availability_forbidden"


# ── list ────────────────────────────────────────────────────────────────────────────────────────
@pytest.mark.django_db
def test_api_list_filters(api, demo, frozen):  # API, SLA-2, ROUTE-1
    caller = api("lina")
    agent = api("zhaomin")
    consult = agent.post("", BODY).json()
    complaint = agent.post("", {**BODY, "kind": "complaint", "title": "维修拖延投诉"}).json()
    clock.advance(timedelta(days=3))
    later = agent.post("", {**BODY, "kind": "suggestion", "title": "建议增加停车位"}).json()

    def ids(params):
        answer = caller.get("", params)
        assert answer.status_code == 200, answer.content
        body = answer.json()
        assert body["count"] == len(body["items"])
        return {c["id"] for c in body["items"]}

    assert {consult["id"], later["id"]} <= ids({})
    assert ids({"kind": "suggestion"}) == {later["id"]}
    assert ids({"state": "routed,received"}) >= {consult["id"], later["id"]}
    assert ids({"received_to": "2026-03-02"}) >= {consult["id"]} and later["id"] not in ids(
        {"received_to": "2026-03-02"}
    )
    assert ids({"received_from": "2026-03-05"}) == {later["id"]}
    assert consult["id"] in ids({"overdue": "true"}) and later["id"] not in ids({"overdue": "true"})
    assert later["id"] in ids({"overdue": "false"})
    assert ids({"q": consult["number"]}) == {consult["id"]}
    assert ids({"open": "true"}) >= {consult["id"]}
    owner = Case.objects.get(pk=consult["id"]).owner
    assert consult["id"] in ids({"owner": str(owner.pk)})
    mine = api(owner.user.username).get("", {"owner": "me"}).json()["items"]
    assert mine and all(c["owner"]["id"] == owner.pk for c in mine)
    group = Case.objects.get(pk=consult["id"]).skill_group_id
    assert consult["id"] in ids({"group": str(group)})
    listed = caller.get("", {"kind": "consultation"}).json()["items"][0]
    assert listed["due"]["first_response"] and listed["overdue"] is True
    # out of scope: the water company sees none of realty's cases
    assert api("lvxin").get("").json() == {"items": [], "count": 0}
    assert complaint["id"]


@pytest.mark.django_db
def test_api_list_query_count_is_constant(api, django_assert_max_num_queries):  # API
    agent, reader = api("zhaomin"), api("lina")
    for _ in range(3):
        agent.post("", BODY)
    with django_assert_max_num_queries(30) as few:
        assert reader.get("").json()["count"] == 3
    needed = len(few.captured_queries)
    for _ in range(27):
        agent.post("", BODY)
    with django_assert_max_num_queries(needed):
        assert reader.get("").json()["count"] == 30


# ── detail ──────────────────────────────────────────────────────────────────────────────────────
@pytest.mark.django_db
def test_api_detail_masks_unless_full_view_and_audits_the_full_read(api):  # API, SEC-2, SEC-5
    case = (
        api("zhaomin")
        .post("", {**BODY, "customer": {**BODY["customer"], "email": "qian@example.com"}})
        .json()
    )
    masked = api("zhaomin").get(f"/{case['id']}").json()
    assert masked["contact"]["masked"] is True and "13512345678" not in str(masked)
    assert masked["contact"]["email"] == "q***@example.com"
    before = AuditEvent.objects.filter(action="read.sensitive").count()
    full = api("wangfang").get(f"/{case['id']}")
    assert full.status_code == 200
    assert full.json()["contact"] == {
        "name": "钱先生",
        "phone": "13512345678",
        "email": "qian@example.com",
        "masked": False,
    }
    assert AuditEvent.objects.filter(action="read.sensitive").count() == before + 1
    assert _error(api("lvxin").get(f"/{case['id']}"), 404)  # out of scope


@pytest.mark.django_db
def test_api_detail_shows_clocks_transitions_and_decisions(api, demo):  # API, SLA-2, CASE-3
    case = api("zhaomin").post("", BODY).json()
    owner = Case.objects.get(pk=case["id"]).owner.user.username
    detail = api(owner).get(f"/{case['id']}").json()
    clocks = {c["name"]: c for c in detail["clocks"]}
    assert clocks["first_response"]["state"] == "running"
    assert clocks["first_response"]["policy_key"] == "sla.consultation_first_response"
    assert {"accept", "answer"} <= {t["name"] for t in detail["transitions"]}
    assert any("sla.consultation_first_response" in d["inputs"] for d in detail["decisions"])
    assert any(d["rule"] == "ROUTE-1" for d in detail["decisions"])
    # a reader without case.handle is offered no transitions
    assert api("zhouqiang").get(f"/{case['id']}").json()["transitions"] == []


# ── handling ────────────────────────────────────────────────────────────────────────────────────
@pytest.mark.django_db
def test_case3_closed_loop_through_transitions(api):  # CASE-3, SLA-2
    case = api("zhaomin").post("", BODY).json()
    owner = api(Case.objects.get(pk=case["id"]).owner.user.username)
    path = f"/{case['id']}/transitions"
    accepted = owner.post(path, {"to": "accept"}).json()
    assert accepted["state"] == "investigating" and accepted["first_response_at"]
    assert accepted["due"]["first_response"] is None and accepted["due"]["next_update"]
    missing = _error(owner.post(path, {"to": "propose"}), 400)
    assert missing["messages"]["en"]
    owner.post(path, {"to": "propose", "solution": "已查询交房计划", "root_cause": "计划未公示"})
    informed = owner.post(path, {"to": "inform", "customer_reply": "预计 6 月交房"}).json()
    assert informed["state"] == "informed" and informed["due"] == {
        "first_response": None,
        "next_update": None,
        "resolution": None,
    }
    assert informed["root_cause"] == "计划未公示"
    assert _error(owner.post(path, {"to": "reopen"}), 400)["code"] == "case_reopen_reason"
    reopened = owner.post(path, {"to": "reopen", "reason": "客户不满意"}).json()
    assert reopened["state"] == "investigating" and reopened["reopen_count"] == 1
    assert reopened["due"]["resolution"]
    history = {c["name"]: c["state"] for c in reopened["clocks"] if c["state"] != "running"}
    assert history.get("first_response") == "done"


@pytest.mark.django_db
def test_case6_transfer_needs_a_reason_and_bounces_count(api, demo, groups):  # CASE-6
    case = api("zhaomin").post("", BODY).json()
    holder = Case.objects.get(pk=case["id"]).owner
    caller = api(holder.user.username)
    refused = _error(
        caller.post(f"/{case['id']}/transfer", {"reason": " ", "to_owner_id": demo["wujing"].pk}), 400
    )
    assert refused["code"] == "case_transfer_reason"
    moved = caller.post(f"/{case['id']}/transfer", {"reason": "涉及投诉", "to_owner_id": demo["wujing"].pk})
    assert moved.status_code == 201 and moved.json()["bounce"] is False
    back = api("wujing").post(f"/{case['id']}/transfer", {"reason": "非投诉，退回", "to_owner_id": holder.pk})
    assert back.status_code == 201 and back.json()["bounce"] is True
    detail = api("lina").get(f"/{case['id']}").json()
    assert detail["transfer_count"] == 2 and detail["bounce_count"] == 1
    assert [t["reason"] for t in detail["transfers"]] == ["涉及投诉", "非投诉，退回"]
    group = api("lina").post(
        f"/{case['id']}/transfer", {"reason": "转投诉组", "to_group_id": groups["complaints"].pk}
    )
    assert group.status_code == 201 and group.json()["to_owner"]["name"] == "吴静"


@pytest.mark.django_db
def test_route1_assign_and_availability(api, demo):  # ROUTE-1
    lina = api("lina")
    for who in ("zhaomin", "sunli"):
        answer = lina.put(f"/availability/{demo[who].pk}", {"available": False, "note": "培训"})
        assert answer.status_code == 200 and answer.json()["available"] is False
    queued = api("zhaomin").post("", BODY).json()
    assert queued["state"] == "received" and queued["owner"] is None
    refused = _error(lina.post(f"/{queued['id']}/assign", {"owner_id": demo["sunli"].pk}), 400)
    assert refused["code"] == "case_owner_unavailable"
    assert _error(lina.post(f"/{queued['id']}/assign", {}), 400)["code"] == "case_nobody_available"
    # an agent may mark only themself
    assert api("sunli").put(f"/availability/{demo['sunli'].pk}", {"available": True}).status_code == 200
    # a colleague she cannot see (own scope) answers like a missing employee (issue 10)
    assert _error(api("sunli").put(f"/availability/{demo['zhaomin'].pk}", {"available": True}), 404)
    assert _error(api("zhaomin").post(f"/{queued['id']}/assign", {}), 403)  # not a supervisor
    assigned = lina.post(f"/{queued['id']}/assign", {})
    assert assigned.status_code == 200, assigned.content
    assert assigned.json()["owner"]["id"] == demo["sunli"].pk and assigned.json()["state"] == "routed"


@pytest.mark.django_db
def test_sla2_breach_and_escalation_show_on_the_case(api, demo):  # SLA-2, ESC-1
    from datetime import datetime

    from kefu.engine.workflow.actions import deadlines

    case = api("zhaomin").post("", BODY).json()
    assert case["overdue"] is False
    clock.freeze(datetime.fromisoformat(case["due"]["first_response"]) + timedelta(minutes=1))
    deadlines.sweep()
    detail = api("lina").get(f"/{case['id']}").json()
    clocks = {c["name"]: c for c in detail["clocks"]}
    # the breach escalated one level; the clock runs on to re-escalate later (WF-6)
    assert clocks["first_response"]["escalation_level"] == 1
    assert clocks["first_response"]["due"] == case["due"]["first_response"]  # the missed deadline
    assert detail["overdue"] is True and detail["due"]["first_response"] == case["due"]["first_response"]
    assert clocks["resolution"]["escalation_level"] == 0
    assert any("超时" in d["outcome"] for d in detail["decisions"])
    assert [(e["level"], e["automatic"]) for e in detail["escalations"]] == [(1, True)]
    owner = api(Case.objects.get(pk=case["id"]).owner.user.username)
    path = f"/{case['id']}/escalate"
    skipping = _error(owner.post(path, {"reason": "客户要求领导回复", "to_level": 3}), 400)
    assert skipping["code"] == "WF-6.level_by_level"
    raised = owner.post(path, {"reason": "客户要求领导回复", "to_level": 3, "emergency": True})
    assert raised.status_code == 201, raised.content
    assert raised.json()["level"] == 3 and raised.json()["skipped"] == ["cs_manager"]


@pytest.mark.django_db
def test_api_comments_public_reply_counts_as_response(api):  # API, SLA-2
    case = api("zhaomin").post("", BODY).json()
    owner = api(Case.objects.get(pk=case["id"]).owner.user.username)
    internal = owner.post(f"/{case['id']}/comments", {"body": "已联系工程部"})
    assert internal.status_code == 201 and internal.json()["public"] is False
    assert Case.objects.get(pk=case["id"]).first_response_at is None
    reply = owner.post(f"/{case['id']}/comments", {"body": "您好，已为您查询", "public": True})
    assert reply.status_code == 201 and reply.json()["public"] is True
    assert Case.objects.get(pk=case["id"]).first_response_at is not None
    listed = owner.get(f"/{case['id']}/comments").json()
    assert listed["count"] == 2 and [c["body"] for c in listed["items"]] == [
        "已联系工程部",
        "您好，已为您查询",
    ]
    assert listed["items"][0]["author"]
    assert _error(api("lvxin").get(f"/{case['id']}/comments"), 404)


@pytest.mark.django_db
def test_api_openapi_documents_the_case_paths():  # API
    answer = Client().get("/api/v1/openapi.json")
    assert answer.status_code == 200
    paths = answer.json()["paths"]
    expected = {
        "/api/v1/cases": {"get", "post"},
        "/api/v1/cases/kinds": {"get"},
        "/api/v1/cases/availability/{employee_id}": {"put"},
        "/api/v1/cases/{case_id}": {"get"},
        "/api/v1/cases/{case_id}/transitions": {"post"},
        "/api/v1/cases/{case_id}/assign": {"post"},
        "/api/v1/cases/{case_id}/transfer": {"post"},
        "/api/v1/cases/{case_id}/escalate": {"post"},
        "/api/v1/cases/{case_id}/verify-identity": {"post"},
        "/api/v1/cases/{case_id}/comments": {"get", "post"},
        "/api/v1/cases/{case_id}/attachments": {"get", "post"},
        "/api/v1/cases/{case_id}/attachments/{attachment_id}/download": {"get"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        for method in methods:
            assert paths[path][method]["summary"], (path, method)
    created = paths["/api/v1/cases"]["post"]
    assert "Idempotency-Key" in created["description"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in created["parameters"])
    assert {"200", "201"} <= set(created["responses"])
    schema = answer.json()["components"]["schemas"]["CaseDetail"]["properties"]
    assert {"due", "next_due_at", "clocks", "transitions", "decisions", "contact"} <= set(schema)


def test_case_state_choices_cover_the_lifecycle():  # CASE-3
    from kefu.cases.lifecycle import CASE

    assert set(CASE.states) == set(CaseState.values)
