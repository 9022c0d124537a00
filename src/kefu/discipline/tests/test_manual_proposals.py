"""DIS-1: HR (hr_admin) records penalty proposals by hand — page and /api/v1/discipline — for any
offence of the catalogue; the CLM-7 ladder still computes the measure; permission-checked, audited."""

import json
from decimal import Decimal

import pytest
from django.test import Client

from kefu.core import decisions
from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound, PermissionDenied
from kefu.core.models import AuditEvent
from kefu.discipline import actions
from kefu.discipline.catalogue import CATALOGUE
from kefu.discipline.models import Measure, PenaltyProposal, ProposalStatus
from kefu.engine.policy.api import lookup
from kefu.org.access import actor_for

pytestmark = pytest.mark.django_db
API = "/api/v1/discipline"


def act(demo, username):
    return actor_for(demo[username].user, origin="test")


def _bearer(who) -> dict:
    _, secret = create_token(Actor(user=who.user, origin="test"), user=who.user, name="t")
    return {"Authorization": f"Bearer {secret}"}


def _post(client, url, body, who):
    return client.post(url, json.dumps(body), content_type="application/json", headers=_bearer(who))


def _page(demo, who) -> Client:
    client = Client()
    client.force_login(demo[who].user)
    return client


def test_dis1_hr_records_any_catalogue_offence_and_the_ladder_sets_the_measure(demo, frozen):
    majun, huanglei = act(demo, "majun"), demo["huanglei"]
    made = {
        code: actions.record_proposal(
            majun, huanglei, code, evidence="现场核实", measure="warning" if code == "info_misconduct" else ""
        )
        for code in CATALOGUE
    }
    assert set(made) == set(CATALOGUE)
    assert made["false_registration"].amount == Decimal(lookup("claims.false_registration_fine_1").value)
    assert made["leak_for_reward"].measure == Measure.DISMISSAL
    assert made["info_misconduct"].measure == Measure.WARNING
    assert all(
        p.status == ProposalStatus.PROPOSED and p.proposed_by == demo["majun"].user for p in made.values()
    )
    second = actions.record_proposal(majun, huanglei, "false_registration", evidence="第二次")
    assert second.occurrence == 2  # the ladder counts hand-recorded proposals too
    assert second.amount == Decimal(lookup("claims.false_registration_fine_2").value)
    leak = actions.record_proposal(majun, demo["heping"], "leak", evidence="泄露 2 户", quantity=2)
    assert leak.amount == Decimal(lookup("claims.leak_fine_per_customer").value) * 2
    assert AuditEvent.objects.filter(action="discipline.propose", object_id=str(leak.pk)).exists()
    assert decisions.for_object(leak).get().rule == "CLM-7"


def test_dis1_manual_proposal_rules_and_permissions(demo, frozen):
    majun = act(demo, "majun")
    before = PenaltyProposal.objects.count()  # the demo's own proposals
    with pytest.raises(Invalid) as chosen:  # the ladder decides, not HR
        actions.record_proposal(
            majun, demo["huanglei"], "false_registration", evidence="x", measure="warning"
        )
    assert chosen.value.code == "discipline_measure_from_ladder" and "CLM-7" in chosen.value.en
    with pytest.raises(Invalid):  # only the leak fine counts customers
        actions.record_proposal(majun, demo["huanglei"], "false_registration", evidence="x", quantity=3)
    with pytest.raises(Invalid):
        actions.record_proposal(majun, demo["huanglei"], "no_such_offence", evidence="x")
    with pytest.raises(Invalid):
        actions.record_proposal(majun, demo["huanglei"], "info_misconduct", evidence="x")  # no measure
    with pytest.raises(NotFound):  # 华辰水务 is outside 马军's subsidiary scope
        actions.record_proposal(majun, demo["lvxin"], "false_registration", evidence="x")
    with pytest.raises(PermissionDenied):  # discipline.view only
        actions.record_proposal(act(demo, "wangfang"), demo["huanglei"], "false_registration", evidence="x")
    assert PenaltyProposal.objects.count() == before


def test_dis1_ledger_page_form_creates_a_proposal(demo, frozen):
    client = _page(demo, "majun")
    page = client.get("/discipline/").content.decode()
    assert 'name="evidence"' in page and "黄磊" in page  # the form, with the employees in scope
    assert "登记处罚建议" in page
    response = client.post(
        "/discipline/",
        {
            "employee": demo["huanglei"].pk,
            "offence": "false_registration",
            "quantity": 1,
            "evidence": "虚假报备",
        },
    )
    proposal = PenaltyProposal.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == f"/discipline/{proposal.pk}/"
    detail = client.get(f"/discipline/{proposal.pk}/").content.decode()
    assert "虚假报备" in detail and "CLM-7" in detail and "为什么" in detail and 'name="decision"' in detail
    done = client.post(
        f"/discipline/{proposal.pk}/decide/", {"decision": "confirm", "reason": "属实", "next": "detail"}
    )
    assert done.status_code == 302 and done["Location"] == f"/discipline/{proposal.pk}/"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.CONFIRMED
    filtered = client.get("/discipline/?offence=leak").content.decode()
    assert f"/discipline/{proposal.pk}/" not in filtered
    assert (
        f"/discipline/{proposal.pk}/"
        in client.get("/discipline/?offence=false_registration").content.decode()
    )


def test_dis1_ledger_page_bad_input_rerenders_in_the_pages_language(demo, frozen):
    client = _page(demo, "majun")
    before = PenaltyProposal.objects.count()
    ladder = client.post(
        "/discipline/",
        {
            "employee": demo["huanglei"].pk,
            "offence": "false_registration",
            "measure": "warning",
            "quantity": 1,
            "evidence": "x",
        },
    )
    text = ladder.content.decode()
    assert (
        ladder.status_code == 200
        and "按违规次数阶梯确定" in text
        and "follows the offence ladder" not in text
    )
    empty = client.post("/discipline/", {"employee": demo["huanglei"].pk, "offence": "leak", "quantity": 0})
    text = empty.content.decode()
    assert (
        empty.status_code == 200
        and "请检查标出的字段" in text
        and "Please check the marked fields" not in text
    )
    outsider = client.post(
        "/discipline/", {"employee": demo["lvxin"].pk, "offence": "leak", "quantity": 1, "evidence": "x"}
    )
    assert outsider.status_code == 200 and "请检查标出的字段" in outsider.content.decode()
    assert PenaltyProposal.objects.count() == before


def test_dis1_ledger_page_permissions(demo, frozen):
    before = PenaltyProposal.objects.count()
    viewer = _page(demo, "wangfang")  # discipline.view, not confirm: sees the ledger, no form
    page = viewer.get("/discipline/")
    assert page.status_code == 200 and 'name="evidence"' not in page.content.decode()
    body = {"employee": demo["huanglei"].pk, "offence": "leak", "quantity": 1, "evidence": "x"}
    assert viewer.post("/discipline/", body).status_code == 403
    assert _page(demo, "huanglei").post("/discipline/", body).status_code == 403
    assert PenaltyProposal.objects.count() == before


def test_dis1_api_create_list_filter_confirm_reject(client, demo, frozen):
    body = {"employee_id": demo["huanglei"].pk, "offence": "false_registration", "evidence": "虚假报备"}
    created = _post(client, API, body, demo["majun"])
    assert created.status_code == 201, created.content
    first = created.json()
    assert first["measure"] == "fine" and Decimal(first["amount"]) == Decimal(
        lookup("claims.false_registration_fine_1").value
    )
    assert first["status"] == "proposed" and first["proposed_by"] == "majun"
    leak = _post(
        client,
        API,
        {**body, "offence": "leak", "quantity": 3, "employee_id": demo["heping"].pk},
        demo["majun"],
    )
    assert leak.status_code == 201

    listed = client.get(API, {"offence": "leak"}, headers=_bearer(demo["majun"])).json()
    assert [p["id"] for p in listed["items"]] == [leak.json()["id"]]
    mine = client.get(
        API, {"employee_id": demo["huanglei"].pk, "since": "2026-03-02"}, headers=_bearer(demo["majun"])
    ).json()
    assert [p["id"] for p in mine["items"]] == [first["id"]]
    assert client.get(API, {"status": "confirmed"}, headers=_bearer(demo["majun"])).json()["count"] == 0
    detail = client.get(f"{API}/{first['id']}", headers=_bearer(demo["majun"])).json()
    assert detail["decisions"][0]["rule"] == "CLM-7"
    offences = client.get(f"{API}/offences", headers=_bearer(demo["wangfang"])).json()
    assert {o["code"]: o["ladder"] for o in offences} == {
        "false_registration": True,
        "leak": True,
        "leak_for_reward": True,
        "info_misconduct": False,
        "unreported_rest": True,  # LV-6: the measure is the seed's (扣除当月奖金), not chosen
        "late_leave_approval": True,
        "appraisal_outstanding": True,  # APR-1: the reward follows the catalogue (表彰奖励)
        "appraisal_not_met": True,  # APR-1: a warning after coaching did not bring it up
    }

    confirmed = _post(client, f"{API}/{first['id']}/confirm", {"reason": "属实"}, demo["majun"])
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    again = _post(client, f"{API}/{first['id']}/reject", {"reason": "改判"}, demo["majun"])
    assert again.status_code == 409 and again.json()["error"]["code"] == "discipline_already_decided"
    rejected = _post(client, f"{API}/{leak.json()['id']}/reject", {"reason": "证据不足"}, demo["majun"])
    assert rejected.status_code == 200 and rejected.json()["decision_reason"] == "证据不足"
    assert AuditEvent.objects.filter(action="discipline.reject").count() == 1


def test_dis1_api_refusals(client, demo, frozen):
    before = PenaltyProposal.objects.count()
    body = {"employee_id": demo["huanglei"].pk, "offence": "false_registration", "evidence": "x"}
    forbidden = _post(client, API, body, demo["wangfang"])  # view only
    assert forbidden.status_code == 403
    outsider = _post(client, API, {**body, "employee_id": demo["lvxin"].pk}, demo["majun"])
    assert outsider.status_code == 404
    ladder = _post(client, API, {**body, "measure": "warning"}, demo["majun"])
    error = ladder.json()["error"]
    assert ladder.status_code == 400 and error["code"] == "discipline_measure_from_ladder"
    assert "阶梯" in error["messages"]["zh-hans"] and "ladder" in error["messages"]["en"]
    unknown = _post(client, API, {**body, "offence": "nap"}, demo["majun"])
    assert unknown.status_code == 400 and unknown.json()["error"]["code"] == "discipline_unknown_offence"
    extra = _post(client, API, {**body, "amount": 1}, demo["majun"])  # strict body: no amount by hand
    assert extra.status_code in (400, 422)
    assert client.get(API, headers=_bearer(demo["huanglei"])).status_code == 403
    assert PenaltyProposal.objects.count() == before
    proposal = actions.record_proposal(act(demo, "majun"), demo["huanglei"], "leak", evidence="x")
    hidden = _post(client, f"{API}/{proposal.pk}/confirm", {"reason": "ok"}, demo["gaofeng"])
    assert hidden.status_code == 404
    assert client.get(f"{API}/{proposal.pk}", headers=_bearer(demo["gaofeng"])).status_code == 404


def test_dis1_api_list_query_count_does_not_grow(client, demo, frozen):
    # list endpoints have a query-count guard (no N+1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    majun = act(demo, "majun")
    headers = _bearer(demo["majun"])
    actions.record_proposal(majun, demo["huanglei"], "leak", evidence="x")
    client.get(API, headers=headers)  # the token's first use writes once
    with CaptureQueriesContext(connection) as few:
        assert client.get(API, headers=headers).status_code == 200
    for who in ("heping", "zhaomin", "sunli", "linxiao"):
        actions.record_proposal(majun, demo[who], "false_registration", evidence="x")
    with CaptureQueriesContext(connection) as many:
        assert client.get(API, headers=headers).json()["count"] >= 5
    assert len(many) == len(few)
