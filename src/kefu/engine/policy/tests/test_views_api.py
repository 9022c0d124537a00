"""The page "制度与参数", the read API and the `kefu policy` command (POL-1, POL-2)."""

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.pages.test_chinese_only import latin_shown

from kefu import cli
from kefu.core import decisions
from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.core.models import AuditEvent
from kefu.engine.policy import actions, api, pack
from kefu.engine.policy.models import PolicyVersion
from kefu.engine.policy.views import MODULE_LABELS
from kefu.org.models import Unit

pytestmark = pytest.mark.django_db


def _bearer(who) -> dict:
    user = getattr(who, "user", who)
    _, secret = create_token(Actor(user=user, origin="test"), user=user, name="t")
    return {"Authorization": f"Bearer {secret}"}


def test_page_shows_every_module_and_clause_to_any_signed_in_user(client, demo):  # POL-1
    client.force_login(demo["zhaomin"].user)
    response = client.get("/policy/")
    assert response.status_code == 200
    html = response.content.decode()
    entries, _, _ = pack.read()
    for module in {e["module"] for e in entries}:
        assert module in MODULE_LABELS
        assert f'id="module-{module}"' in html
    for entry in entries:
        assert entry["key"] in html
        if entry["clause"]:
            assert entry["clause"] in html
    assert "7 天" in html and "(完整版)客户报备制度" in html
    assert "本系统默认值（制度未规定此数值）" in html
    assert "制度与参数" in html  # navigation and title
    assert 'href="/policy/claims.walk_in_protection/edit/"' not in html  # no edit buttons for an agent


def test_page_in_english(client, demo, settings):  # POL-1
    client.force_login(demo["zhaomin"].user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/policy/").content.decode()
    assert "Policies and parameters" in html and "7 days" in html
    assert "Protection period of a walk-in prospect" in html
    assert "(default, not set by the source policies)" in html
    assert "on the calendar 办公时间" in html and "Loaded when the database was created" in html
    assert '<td class="nowrap">v1' in html


def test_policy_page_in_chinese_shows_no_english(
    client, demo, admin_user, admin_actor, frozen
):  # issue 13 "Chinese everywhere"
    realty = Unit.objects.get(code="hc-realty")
    actions.set_override(admin_actor, realty, "care.gift_max", 100, date(2026, 4, 1), reason="从严")
    client.force_login(demo["zhaomin"].user)
    html = client.get("/policy/").content.decode()
    # a coming subsidiary value by the entry's name, with its unit
    assert '单份礼品价格上限 <code class="small">care.gift_max</code> = 100 元' in html
    assert latin_shown(html, {"zhaomin"}, policy_page=True) == set()
    for entry in pack.read()[0]:
        assert entry["name_zh"] in html and entry["name_en"] not in html
    # the calendar by its name, the version as 第 n 版, the system's own note in Chinese
    assert "日历：办公时间（周一至周五 8:30–17:30；午休 12:00–13:00 为本系统默认值）" in html
    assert "日历 office" not in html
    assert "现行版本：第 1 版" in html and '<td class="nowrap">第 1 版' in html
    assert "建库时载入" in html and "initial load by migration" not in html
    assert "本系统默认值（制度未规定此数值）" in html  # the marks stay
    # the form of one entry too
    client.force_login(admin_user)
    form = client.get("/policy/care.gift_max/edit/").content.decode()
    assert "修改 单份礼品价格上限" in form and latin_shown(form, {"admin"}, policy_page=True) == set()


def test_non_admin_gets_403_on_the_edit_pages(client, demo):  # POL-1
    client.force_login(demo["zhaomin"].user)
    assert client.get("/policy/claims.walk_in_protection/edit/").status_code == 403
    response = client.post(
        "/policy/claims.walk_in_protection/edit/",
        {"value": "5", "effective_from": "2030-01-01", "reason": "x"},
    )
    assert response.status_code == 403
    assert client.get("/policy/claims.walk_in_protection/override/").status_code == 403
    assert client.get("/policy/claims.nope/edit/").status_code == 404
    assert PolicyVersion.objects.count() == 1


def test_admin_changes_a_value_on_the_page(client, admin_user, frozen):  # POL-1
    client.force_login(admin_user)
    assert client.get("/policy/care.gift_max/edit/").status_code == 200
    response = client.post(
        "/policy/care.gift_max/edit/", {"value": "150", "effective_from": "2026-04-01", "reason": "预算收紧"}
    )
    assert response.status_code == 302
    assert PolicyVersion.objects.get(number=2).note == "预算收紧"
    assert AuditEvent.objects.filter(action="policy.set_value").exists()
    html = client.get("/policy/").content.decode()
    assert "第 2 版" in html and "预算收紧" in html
    # the history says in words who changed which entry (not "edit of care.gift_max by …")
    assert "修改「单份礼品价格上限」" in html and "edit of" not in html


def test_admin_sees_a_laxer_override_refused_on_the_form(client, admin_user, demo, frozen):  # POL-2
    client.force_login(admin_user)
    realty = Unit.objects.get(code="hc-realty")
    data = {"unit": realty.pk, "value": "10", "effective_from": "2026-03-02", "reason": "x"}
    response = client.post("/policy/claims.walk_in_protection/override/", data)
    assert response.status_code == 200
    assert "只能更严格：集团值为 7 天，提交 10 天" in response.content.decode()
    data["value"] = "5"
    assert client.post("/policy/claims.walk_in_protection/override/", data).status_code == 302
    html = client.get("/policy/").content.decode()
    assert "华辰置业有限公司: 5 天" in html


def test_api_list_and_detail(client, demo):  # POL-1
    headers = _bearer(demo["zhaomin"])
    response = client.get("/api/v1/policy?module=claims", headers=headers)
    assert response.status_code == 200
    body = response.json()
    keys = [item["key"] for item in body["items"]]
    assert "claims.walk_in_protection" in keys and all(k.startswith("claims.") for k in keys)
    assert body["count"] == len(keys)
    item = client.get("/api/v1/policy/claims.walk_in_protection", headers=headers).json()
    assert item["value"] == 7 and item["unit"] == "days" and item["rule"] == "CLM-3"
    assert item["clause"] == "到店咨询意向客户期限为报备之日起7天有效"
    assert item["source"] == {"seed": "000", "document": "(完整版)客户报备制度"}
    assert item["version"] == 1 and item["override"] is None
    fee = client.get("/api/v1/policy/fees.translation_per_char", headers=headers).json()
    assert fee["value"] == 0.5
    by_rule = client.get("/api/v1/policy?rule=EMG-6", headers=headers).json()
    assert [i["key"] for i in by_rule["items"]] == ["sla.major_quality_onsite"]
    everything = client.get("/api/v1/policy?limit=200", headers=headers).json()
    assert everything["count"] == len(pack.read()[0])


def test_api_applies_a_subsidiary_override(client, demo, admin_actor, frozen):  # POL-2
    realty = Unit.objects.get(code="hc-realty")
    actions.set_override(admin_actor, realty, "claims.walk_in_protection", 5, date(2026, 3, 2), reason="从严")
    headers = _bearer(demo["zhaomin"])
    team = Unit.objects.get(code="realty-cs-hotline")
    item = client.get(f"/api/v1/policy/claims.walk_in_protection?unit={team.pk}", headers=headers).json()
    assert item["value"] == 5
    assert item["override"] == {"unit_id": realty.pk, "unit_name": realty.name, "group_value": 7}
    listed = client.get(f"/api/v1/policy?key=walk_in&unit={realty.pk}", headers=headers).json()
    assert listed["items"][0]["value"] == 5
    plain = client.get("/api/v1/policy/claims.walk_in_protection", headers=headers).json()
    assert plain["value"] == 7


def test_api_unknown_key_and_unit_answer_404_envelopes(client, demo):  # POL-1
    headers = _bearer(demo["zhaomin"])
    response = client.get("/api/v1/policy/claims.nope", headers=headers)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "policy_unknown_key"
    assert client.get("/api/v1/policy?unit=999999", headers=headers).status_code == 404
    assert client.get("/api/v1/policy").status_code == 401


def test_api_list_query_count_is_constant(client, demo, admin_actor, frozen):  # POL-1
    headers = _bearer(demo["zhaomin"])
    realty = Unit.objects.get(code="hc-realty")
    client.get(f"/api/v1/policy?limit=200&unit={realty.pk}", headers=headers)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/api/v1/policy?limit=200&unit={realty.pk}", headers=headers)
    for key, value in [("care.gift_max", 100), ("sla.phone_rings", 2), ("kpi.satisfaction_min", 95)]:
        actions.set_override(admin_actor, realty, key, value, date(2026, 3, 2), reason="x")
    # the writes changed the configuration generation: the process reads the pack again once
    client.get(f"/api/v1/policy?limit=200&unit={realty.pk}", headers=headers)
    with CaptureQueriesContext(connection) as more:
        client.get(f"/api/v1/policy?limit=200&unit={realty.pk}", headers=headers)
    assert len(more) == len(few) <= 12


def test_page_query_count_is_bounded(client, demo, admin_actor, frozen):  # POL-1
    client.force_login(demo["zhaomin"].user)
    realty = Unit.objects.get(code="hc-realty")
    for key, value in [("care.gift_max", 100), ("sla.phone_rings", 2)]:
        actions.set_override(admin_actor, realty, key, value, date(2026, 3, 2), reason="x")
    client.get("/policy/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/policy/").status_code == 200
    assert len(queries) <= 20


def test_cli_show_and_load(db, capsys, tmp_path):  # POL-1
    assert cli.main(["policy", "show", "claims.deposit_protection"]) == 0
    out = capsys.readouterr().out
    assert "claims.deposit_protection = 90 天 (90 days)" in out and "CLM-3" in out and "已缴纳定金" in out
    assert cli.main(["policy", "show", "claims.nope"]) == 1
    assert "claims.nope" in capsys.readouterr().err
    assert cli.main(["policy", "load"]) == 0
    assert "version 1" in capsys.readouterr().out
    changed = tmp_path / "p.yaml"
    changed.write_text(pack.DEFAULT_PACK.read_text().replace("  value: 200\n", "  value: 180\n", 1))
    assert cli.main(["policy", "load", "--file", str(changed), "--effective", "2099-01-01"]) == 0
    assert "version 2" in capsys.readouterr().out
    assert PolicyVersion.objects.get(number=2).effective_from.year == 2098  # 2099-01-01 00:00 Shanghai in UTC
    broken = tmp_path / "bad.yaml"
    broken.write_text(json.dumps({"entries": [{"key": "x"}]}))
    assert cli.main(["policy", "load", "--file", str(broken)]) == 1
    assert "missing" in capsys.readouterr().err
    assert api.lookup("care.gift_max").value == 200


def test_policy_pack_honesty_page_api_and_why_mark_defaults(client, demo):  # POL-1, POL-3, issue 13
    # sla.first_response (4 h) is not in the seeds: the page, the API and "为什么" say 本系统默认值 and quote
    # no clause; the old quote "应立即记录相关信息" (which holds no 4 h) is gone.
    client.force_login(demo["zhaomin"].user)
    html = client.get("/policy/").content.decode()
    row = html[html.index('id="sla.first_response"') :]
    row = row[: row.index("</tr>")]
    assert "本系统默认值（制度未规定此数值）" in row
    assert "policy-clause" not in row and "应立即记录相关信息" not in row
    walk_in = html[html.index('id="claims.walk_in_protection"') :]
    assert "本系统默认值" not in walk_in[: walk_in.index("</tr>")]  # a number the seeds give is not marked

    item = client.get("/api/v1/policy/sla.first_response", headers=_bearer(demo["zhaomin"])).json()
    assert item["default_not_from_seeds"] is True and item["clause"] == ""
    assert item["default_note"] == "本系统默认值（制度未规定此数值）"
    seeded = client.get("/api/v1/policy/claims.walk_in_protection", headers=_bearer(demo["zhaomin"])).json()
    assert seeded["default_note"] == ""

    unit = Unit.objects.first()
    why = decisions.record_from_entry(unit, api.lookup("sla.first_response"), outcome="x", inputs={})
    assert why.clause == "" and why.source == ""
    assert why.inputs["sla.first_response"] == "4 小时（本系统默认值）"
    quoted = decisions.record_from_entry(
        unit, api.lookup("claims.walk_in_protection"), outcome="x", inputs={}
    )
    assert quoted.clause == "到店咨询意向客户期限为报备之日起7天有效"
    assert (
        quoted.source == "000 · (完整版)客户报备制度" and quoted.inputs["claims.walk_in_protection"] == "7 天"
    )
