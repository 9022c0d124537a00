"""The supervisor's view and the configuration of case kinds and skill groups (ROUTE-1, CASE-1, CASE-6)."""

from datetime import timedelta

import pytest
from django.test import Client
from tests.pages.test_chinese_only import latin_shown

from kefu.cases import actions, queries
from kefu.cases.actions import config as actions_config
from kefu.cases.actions import routing as actions_routing
from kefu.cases.demo_config import load_case_config
from kefu.cases.models import OPEN_STATES, Case, CaseKind, CaseState, Office, SkillGroup
from kefu.cases.queries import routing as queries_supervisor
from kefu.core import clock
from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound, PermissionDenied
from kefu.core.models import AuditEvent
from kefu.engine.workflow.actions import deadlines
from kefu.org.models import Unit

WATER_REPAIR = [
    {"name": "address", "label": "地址", "type": "text", "required": True},
    {"name": "fault", "label": "故障类型", "type": "choice", "required": True, "choices": ["漏水", "停水"]},
]


def login(demo, username) -> Client:
    client = Client()
    client.force_login(demo[username].user)
    return client


def bearer(user) -> dict:
    _, token = create_token(Actor(user=user, origin="test"), user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def water(code="hc-water"):
    return Unit.objects.get(code=code)


def refused_with(code, run):
    with pytest.raises(Invalid) as refused:
        run()
    error = refused.value
    assert error.code == code
    assert error.zh and error.en and error.zh != error.en  # bilingual
    return error


@pytest.mark.parametrize(
    ("fields", "code", "where"),
    [
        ("not a list", "case_fields_invalid", "fields"),
        (["x"], "case_field_invalid", "fields.0"),
        ([{"name": "户号", "label": "户号"}], "case_field_name", "fields.0.name"),
        ([{"name": "Account", "label": "户号"}], "case_field_name", "fields.0.name"),
        (
            [{"name": "no", "label": "户号"}, {"name": "no", "label": "表号"}],
            "case_field_name_duplicate",
            "fields.1.name",
        ),
        ([{"name": "no", "label": ""}], "case_config_required", "fields.0.label"),
        ([{"name": "no", "label": "户号", "type": "money"}], "case_field_type", "fields.0.type"),
        (
            [{"name": "no", "label": "户号", "choices": ["a"]}],
            "case_field_choices_unexpected",
            "fields.0.choices",
        ),
        (
            [{"name": "f", "label": "故障", "type": "choice"}],
            "case_field_choices_required",
            "fields.0.choices",
        ),
        (
            [{"name": "f", "label": "故障", "type": "choice", "choices": ["漏水", "漏水"]}],
            "case_field_choice_duplicate",
            "fields.0.choices",
        ),
        ([{"name": "f", "label": "故障", "required": "yes"}], "case_config_invalid", "fields.0.required"),
        ([{"name": "f", "label": "故障", "colour": "red"}], "case_field_unknown_key", "fields.0"),
    ],
)
def test_case1_field_spec_is_checked_with_bilingual_errors(demo, act, fields, code, where):  # CASE-1
    error = refused_with(
        code,
        lambda: actions_config.create_kind(
            act("gaofeng"), unit=water(), code="meter", family="service_request", name="换表", fields=fields
        ),
    )
    assert where in error.fields
    assert not CaseKind.objects.filter(code="meter").exists()


def test_case1_subsidiary_kind_replaces_the_shipped_one_for_that_subsidiary_only(demo, act, frozen):  # CASE-1
    gaofeng = act("gaofeng")
    kind = actions_config.create_kind(
        gaofeng, unit=water(), code="help_request", family="help_request", name="求助", fields=WATER_REPAIR
    )
    assert kind.fields[1] == {
        "name": "fault",
        "label": "故障类型",
        "type": "choice",
        "required": True,
        "choices": ["漏水", "停水"],
    }
    hotline = water("water-cs-hotline")
    assert queries.intake.kind_for(hotline, "help_request") == kind
    assert kind in queries.intake.kinds_for(hotline)
    assert [k.code for k in queries.intake.kinds_for(hotline)].count("help_request") == 1
    realty = Unit.objects.get(code="realty-cs-hotline")
    shipped = queries.intake.kind_for(realty, "help_request")
    assert shipped.unit_id is None and shipped in queries.intake.kinds_for(realty)
    assert AuditEvent.objects.filter(action="cases.kind_create", object_id=str(kind.pk)).exists()
    with pytest.raises(Invalid) as missing:  # the water company's own required fields apply there
        actions.create_case(gaofeng, unit=hotline, kind="help_request", channel="phone", title="水管漏水")
    assert missing.value.code == "case_extra_required"
    case, _ = actions.create_case(
        gaofeng,
        unit=hotline,
        kind="help_request",
        channel="phone",
        title="水管漏水",
        extra={"address": "解放路 12 号", "fault": "漏水"},
    )
    assert case.kind == kind


def test_case1_retired_kind_keeps_its_cases_and_is_no_longer_offered(demo, act, frozen):  # CASE-1
    gaofeng = act("gaofeng")
    kind = actions_config.create_kind(
        gaofeng, unit=water(), code="transfer", family="service_request", name="过户"
    )
    case, _ = actions.create_case(
        gaofeng, unit=water("water-cs"), kind="transfer", channel="phone", title="过户"
    )
    actions_config.deactivate_kind(gaofeng, kind)
    assert Case.objects.get(pk=case.pk).kind_id == kind.pk
    assert kind not in queries.intake.kinds_for(water())
    with pytest.raises(Invalid):
        queries.intake.kind_for(water(), "transfer")
    assert AuditEvent.objects.filter(action="cases.kind_deactivate", object_id=str(kind.pk)).exists()


def test_case1_configuration_needs_case_configure_in_scope(demo, act):  # CASE-1
    with pytest.raises(PermissionDenied):  # a supervisor manages cases but does not configure
        actions_config.create_kind(
            act("lina"), unit=Unit.objects.get(code="hc-realty"), code="x", family="feedback", name="x"
        )
    with pytest.raises(PermissionDenied):  # the water manager cannot configure the realty company
        actions_config.create_kind(
            act("gaofeng"), unit=Unit.objects.get(code="hc-realty"), code="x", family="feedback", name="x"
        )
    shipped = CaseKind.objects.get(unit=None, code="repair")
    with pytest.raises(PermissionDenied):
        actions_config.update_kind(act("gaofeng"), shipped, name="维修")
    refused_with(
        "case_kind_unit",
        lambda: actions_config.create_kind(
            act("gaofeng"), unit=water("water-cs"), code="x", family="feedback", name="x"
        ),
    )
    kind = actions_config.create_kind(act("gaofeng"), unit=water(), code="x", family="feedback", name="x")
    assert queries.config.kind(act("gaofeng"), kind.pk) == kind
    with pytest.raises(NotFound):  # the realty manager does not even see the water company's kinds
        queries.config.kind(act("wangfang"), kind.pk)


def test_route1_members_must_be_active_employees_of_the_group_subsidiary(demo, act):  # ROUTE-1
    gaofeng = act("gaofeng")
    error = refused_with(
        "case_group_member_outside",
        lambda: actions_config.create_group(
            gaofeng,
            unit=water("water-tech"),
            code="meters",
            name="技术支持组",
            office=Office.BACK,
            families=["repair"],
            members=[demo["xuhao"].pk, demo["zhaomin"].pk],
        ),
    )
    assert "赵敏" in error.zh and "赵敏" in error.en
    refused_with(
        "case_config_choice",
        lambda: actions_config.create_group(
            gaofeng, unit=water("water-tech"), code="t", name="t", families=["plumbing"]
        ),
    )
    group = actions_config.create_group(
        gaofeng,
        unit=water("water-tech"),
        code="meters",
        name="技术支持组",
        office=Office.BACK,
        families=["repair"],
        members=[demo["xuhao"].pk],
    )
    refused_with(
        "case_group_member_outside",
        lambda: actions_config.update_group(gaofeng, group, members=[demo["lina"].pk]),
    )
    assert list(group.members.all()) == [demo["xuhao"]]
    assert AuditEvent.objects.filter(action="cases.group_create", object_id=str(group.pk)).exists()


def test_route1_demo_groups_route_the_water_companys_repair_to_tech_support(
    demo, admin_actor, act, frozen
):  # ROUTE-1, CASE-1
    made = load_case_config(admin_actor)
    assert {g.name for g in made["groups"]} == {"热线组", "投诉组", "96390 热线组", "技术支持组", "回访组"}
    assert {k.name for k in made["kinds"]} == {"用水申请", "过户", "报修"}
    listed = login(demo, "gaofeng").get("/cases/config/kinds/").content.decode()
    assert (
        listed.count('badge-accent">替换内置类型') == 1
    )  # only the water company's 报修 has a shipped kind's code
    case, _ = actions.create_case(
        act("lvxin"),
        unit=demo["lvxin"].unit,
        kind="repair",
        channel="phone",
        title="停水",
        extra={"address": "解放路 12 号", "fault": "停水"},
    )
    assert case.skill_group.name == "技术支持组" and case.owner == demo["xuhao"]
    realty, _ = actions.create_case(
        act("zhaomin"), unit=demo["zhaomin"].unit, kind="repair", channel="phone", title="门锁坏了"
    )
    assert realty.skill_group.name == "热线组" and realty.kind.unit_id is None


def test_route1_supervisor_sees_only_their_scope(demo, act, admin_actor, new_case, frozen):  # ROUTE-1
    made = load_case_config(admin_actor)  # the demo's groups (nothing new when the demo has them)
    water_groups = {g.pk for g in made["groups"] if g.unit.path.startswith(water().path)}
    before = queries_supervisor.team(act("lina")).totals["open"]
    water_before = queries_supervisor.team(act("gaofeng")).totals["open"]
    new_case()
    lina = queries_supervisor.team(act("lina"))
    assert {g.code for g in lina.groups} == {"hotline", "complaints"}
    assert not water_groups & {g.pk for g in lina.groups} and demo["lvxin"] not in lina.agents
    assert lina.totals["open"] == before + 1
    gaofeng = queries_supervisor.team(act("gaofeng"))
    assert {g.pk for g in gaofeng.groups} == water_groups and gaofeng.totals["open"] == water_before
    with pytest.raises(NotFound):
        queries_supervisor.team_member(act("lina"), demo["lvxin"].pk)
    assert queries_supervisor.team(act("zhaomin")).groups == []  # an agent manages nobody
    page = login(demo, "lina").get("/cases/team/")
    assert (
        page.status_code == 200 and "热线组" in page.content.decode() and "96390" not in page.content.decode()
    )
    assert login(demo, "zhaomin").get("/cases/team/").status_code == 403
    answer = Client().get("/api/v1/cases/team", **bearer(demo["gaofeng"].user)).json()
    assert {g["name"] for g in answer["groups"]} == {"96390 热线组", "技术支持组", "回访组"}
    assert {a["name"] for a in answer["agents"]} == {"吕欣", "徐浩", "郑凯"}
    blocked = Client().post(f"/cases/team/people/{demo['lvxin'].pk}/availability/", {"available": "0"})
    assert blocked.status_code == 302  # login first
    assert (
        login(demo, "lina")
        .post(f"/cases/team/people/{demo['lvxin'].pk}/availability/", {"available": "0"})
        .status_code
        == 404
    )


def test_route1_availability_toggle_stops_routing_and_the_queue_is_assigned(
    demo, groups, new_case, frozen
):  # ROUTE-1
    lina = login(demo, "lina")
    before = {
        a.name: a.load for a in queries_supervisor.team(Actor(user=demo["lina"].user, origin="t")).agents
    }
    answer = lina.post(
        f"/cases/team/people/{demo['sunli'].pk}/availability/", {"available": "0", "note": "休假"}
    )
    assert answer.status_code == 302
    assert {new_case().owner for _ in range(3)} == {demo["zhaomin"]}
    lina.post(f"/cases/team/people/{demo['zhaomin'].pk}/availability/", {"available": "0", "note": "外出"})
    queued = new_case()
    assert queued.owner is None and queued.state == CaseState.RECEIVED
    page = lina.get("/cases/team/").content.decode()
    assert queued.number in page and "休假" in page
    refused = lina.post(f"/cases/team/queue/{queued.pk}/assign/", {}, follow=True)
    assert "技能组内暂无可接单人员" in refused.content.decode()
    lina.post(f"/cases/team/people/{demo['sunli'].pk}/availability/", {"available": "1"})
    lina.post(f"/cases/team/queue/{queued.pk}/assign/", {"owner": demo["sunli"].pk})
    queued.refresh_from_db()
    assert queued.owner == demo["sunli"] and queued.state == CaseState.ROUTED
    team = queries_supervisor.team(Actor(user=demo["lina"].user, origin="test"))
    loads = {a.name: (a.load, a.is_available) for a in team.agents}
    assert loads["赵敏"] == (before["赵敏"] + 3, False) and loads["孙丽"] == (before["孙丽"] + 1, True)


def test_sla2_overdue_list_longest_first_with_escalation_level(
    demo, groups, new_case, act, frozen
):  # SLA-2, ROUTE-1
    complaint = new_case(kind="complaint", title="漏水无人处理")
    clock.advance(timedelta(hours=1))
    consultation = new_case(title="交房时间")
    clock.advance(timedelta(days=3))
    deadlines.sweep()
    team = queries_supervisor.team(act("lina"))
    assert {complaint.pk, consultation.pk} <= {c.pk for c in team.overdue}
    minutes = [c.overdue_minutes for c in team.overdue]
    assert minutes == sorted(minutes, reverse=True) and minutes[-1] > 0  # longest overdue first
    escalated = next(c for c in team.overdue if c.pk == complaint.pk)
    assert escalated.escalation_level >= 1
    hotline = next(g for g in team.groups if g.code == "hotline")
    late = Case.objects.filter(state__in=OPEN_STATES, next_due_at__lt=clock.now())
    assert hotline.counts["overdue"] == late.filter(skill_group=groups["hotline"]).count() >= 1
    answer = Client().get("/api/v1/cases/team", **bearer(demo["lina"].user)).json()
    levels = {row["number"]: row["escalation_level"] for row in answer["overdue"]}
    assert levels[complaint.number] >= 1 and levels[consultation.number] >= 0
    assert (
        answer["totals"]["overdue"] == late.filter(unit__path__startswith=demo["wangfang"].unit.path).count()
    )


def test_case6_bounce_counts_per_department_and_case(demo, groups, new_case, act, frozen):  # CASE-6
    bounced = {r["from_unit__name"]: r["bounces"] for r in queries_supervisor.team(act("lina")).bounces}
    case = new_case()
    first_owner = act(case.owner.user.username)
    actions_routing.transfer(act("lina"), case, to_group=groups["complaints"], reason="属于投诉")
    case.refresh_from_db()
    actions_routing.transfer(act("wujing"), case, to_group=groups["hotline"], reason="不是投诉，退回")
    case.refresh_from_db()
    assert case.bounce_count == 1 and first_owner
    team = queries_supervisor.team(act("lina"))
    assert case in team.top_bounced
    after = {r["from_unit__name"]: r["bounces"] for r in team.bounces}
    assert after["投诉处理组"] == bounced.get("投诉处理组", 0) + 1
    page = login(demo, "lina").get("/cases/team/").content.decode()
    assert case.number in page and "投诉处理组" in page


def test_route1_team_page_query_count_is_constant(
    demo, groups, new_case, django_assert_max_num_queries, frozen
):  # ROUTE-1
    new_case()
    later = frozen + timedelta(days=2)
    clock.freeze(later)
    client = login(demo, "lina")
    with django_assert_max_num_queries(40) as few:
        assert client.get("/cases/team/").status_code == 200
    clock.freeze(frozen)  # more cases, received at the start: overdue when the clock returns
    for _ in range(6):
        new_case()
    new_case(kind="complaint")
    clock.freeze(later)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/cases/team/")
    assert page.status_code == 200 and page.content.decode().count("KF-20260302-") >= 8


def test_case1_kind_pages_with_the_field_editor(demo, frozen):  # CASE-1
    client = login(demo, "gaofeng")
    assert client.get("/cases/config/kinds/").status_code == 200
    assert client.get("/cases/config/kinds/new/").status_code == 200
    form = {
        "unit": water().pk,
        "code": "meter_change",
        "family": "service_request",
        "name": "过户",
        "name_en": "Account transfer",
        "ordering": "100",
        "active": "on",
        "field_name": ["old_holder", "account_no", ""],
        "field_label": ["原户名", "户号", ""],
        "field_type": ["text", "text", "text"],
        "field_required": ["yes", "", ""],
        "field_choices": ["", "", ""],
    }
    bad = client.post("/cases/config/kinds/new/", {**form, "field_name": ["old_holder", "户号", ""]})
    text = bad.content.decode()
    assert (
        bad.status_code == 400 and "第 2 个字段" in text and "Field 2" not in text and 'value="户号"' in text
    )
    assert client.post("/cases/config/kinds/new/", form).status_code == 302
    kind = CaseKind.objects.get(unit=water(), code="meter_change")
    assert [f["name"] for f in kind.fields] == ["old_holder", "account_no"] and kind.fields[0]["required"]
    edit = {
        **form,
        "field_name": ["fault"],
        "field_label": ["故障"],
        "field_type": ["choice"],
        "field_required": [""],
    }
    edit["field_choices"] = ["漏水、停水，水压低"]
    del edit["active"]
    assert client.post(f"/cases/config/kinds/{kind.pk}/", edit).status_code == 302
    kind.refresh_from_db()
    assert kind.fields == [
        {
            "name": "fault",
            "label": "故障",
            "type": "choice",
            "required": False,
            "choices": ["漏水", "停水", "水压低"],
        }
    ]
    assert not kind.active
    assert login(demo, "wangfang").get(f"/cases/config/kinds/{kind.pk}/").status_code == 404
    assert login(demo, "lina").get("/cases/config/kinds/").status_code == 403


def test_case1_route1_config_pages_in_chinese_only(demo, admin_actor, settings):  # issue 13, CASE-1, ROUTE-1
    load_case_config(admin_actor)  # the water company's own kinds (with English names) and groups
    client = login(demo, "gaofeng")
    kinds = client.get("/cases/config/kinds/").content.decode()
    groups = client.get("/cases/config/groups/").content.decode()
    new = client.get("/cases/config/kinds/new/").content.decode()
    for page in (kinds, groups, new):
        assert latin_shown(page, {"gaofeng"}) == set()
    # kind names in Chinese only; the families a group takes by their Chinese names, the codes in <code>
    assert "过户" in kinds and "Account transfer" not in kinds and "Complaint" not in kinds
    assert '<span class="chip">报修</span>' in groups and "help_request" not in groups
    assert "<code>account_no</code>" in new and 'placeholder="account_no"' not in new
    # a refused change in the page's language only
    form = {"unit": water().pk, "code": "x1", "family": "feedback", "name": "抄表", "ordering": "100"}
    form |= {"field_name": ["户号"], "field_label": ["户号"], "field_type": ["text"]}
    refused = client.post("/cases/config/kinds/new/", form).content.decode()
    assert "第 1 个字段" in refused and "Field 1" not in refused
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/cases/config/kinds/").content.decode()
    assert "Account transfer" in english and "过户" in english  # the English name, with the Chinese one
    assert "Repair (报修)" in client.get("/cases/config/groups/").content.decode()
    refused = client.post("/cases/config/kinds/new/", form).content.decode()
    assert "Field 1" in refused and "第 1 个字段" not in refused


def test_route1_group_pages(demo):  # ROUTE-1
    client = login(demo, "gaofeng")
    assert client.get("/cases/config/groups/new/").status_code == 200
    form = {
        "unit": water("water-tech").pk,
        "code": "meters",
        "name": "技术支持组",
        "office": "back",
        "families": ["repair"],
        "members": [demo["xuhao"].pk],
        "active": "on",
    }
    assert client.post("/cases/config/groups/new/", form).status_code == 302
    group = SkillGroup.objects.get(code="meters")
    assert list(group.members.all()) == [demo["xuhao"]]
    page = client.get("/cases/config/groups/").content.decode()
    assert "技术支持组" in page and "徐浩" in page
    moved = client.post(
        f"/cases/config/groups/{group.pk}/", {**form, "members": [demo["xuhao"].pk, demo["lvxin"].pk]}
    )
    assert moved.status_code == 302 and group.members.count() == 2


def test_case1_route1_config_api(demo):  # CASE-1, ROUTE-1
    client, auth = Client(), bearer(demo["gaofeng"].user)
    body = {
        "unit_id": water().pk,
        "code": "help_request",
        "family": "repair",
        "name": "报修",
        "fields": WATER_REPAIR,
    }
    created = client.post("/api/v1/cases/config/kinds", body, content_type="application/json", **auth)
    assert created.status_code == 201, created.content
    kind_id = created.json()["id"]
    assert created.json()["unit"]["name"] == "华辰水务有限公司"
    twice = client.post("/api/v1/cases/config/kinds", body, content_type="application/json", **auth)
    assert twice.status_code == 409
    bad = client.post(
        "/api/v1/cases/config/kinds",
        {**body, "code": "meter", "fields": [{"name": "a", "label": "A", "type": "text", "choices": ["x"]}]},
        content_type="application/json",
        **auth,
    )
    error = bad.json()["error"]
    assert bad.status_code == 400 and error["code"] == "case_field_choices_unexpected"
    assert error["messages"]["zh-hans"] != error["messages"]["en"]
    patched = client.patch(
        f"/api/v1/cases/config/kinds/{kind_id}", {"active": False}, content_type="application/json", **auth
    )
    assert patched.status_code == 200 and patched.json()["active"] is False
    codes = [k["code"] for k in client.get("/api/v1/cases/config/kinds", **auth).json()]
    assert codes.count("help_request") == 2  # the shipped one and the water company's
    other = bearer(demo["wangfang"].user)
    assert (
        client.patch(
            f"/api/v1/cases/config/kinds/{kind_id}", {"name": "x"}, content_type="application/json", **other
        ).status_code
        == 404
    )
    assert client.get("/api/v1/cases/config/kinds", **bearer(demo["lina"].user)).status_code == 403
    group = {
        "unit_id": water("water-tech").pk,
        "code": "meters",
        "name": "技术支持组",
        "office": "back",
        "families": ["repair"],
        "members": [demo["xuhao"].pk],
    }
    made = client.post("/api/v1/cases/config/groups", group, content_type="application/json", **auth)
    assert made.status_code == 201 and made.json()["members"] == [{"id": demo["xuhao"].pk, "name": "徐浩"}]
    outside = client.patch(
        f"/api/v1/cases/config/groups/{made.json()['id']}",
        {"members": [demo["zhaomin"].pk]},
        content_type="application/json",
        **auth,
    )
    assert outside.status_code == 400 and outside.json()["error"]["code"] == "case_group_member_outside"
    assert "meters" in [g["code"] for g in client.get("/api/v1/cases/config/groups", **auth).json()]
    realty = client.get("/api/v1/cases/config/groups", **other).json()
    assert all(g["unit"]["id"] != water("water-tech").pk for g in realty)


def test_route1_config_lists_query_count_is_constant(
    demo, act, django_assert_max_num_queries
):  # ROUTE-1, CASE-1
    gaofeng, client, auth = act("gaofeng"), login(demo, "gaofeng"), bearer(demo["gaofeng"].user)
    people = [demo["lvxin"].pk, demo["zhengkai"].pk]

    def add(n):
        actions_config.create_group(
            gaofeng, unit=water("water-cs"), code=f"g{n}", name=f"组{n}", members=people
        )
        actions_config.create_kind(
            gaofeng, unit=water(), code=f"k{n}", family="feedback", name=f"类型{n}", fields=WATER_REPAIR
        )

    add(0)
    pages = ("/cases/config/groups/", "/cases/config/kinds/")
    apis = ("/api/v1/cases/config/groups", "/api/v1/cases/config/kinds")
    counts = {}
    for url in pages + apis:
        with django_assert_max_num_queries(30) as few:
            assert (client.get(url) if url in pages else Client().get(url, **auth)).status_code == 200
        counts[url] = len(few.captured_queries)
    for n in range(1, 6):
        add(n)
    for url in pages + apis:
        with django_assert_max_num_queries(counts[url]):
            answer = client.get(url) if url in pages else Client().get(url, **auth)
        text = answer.content.decode()
        assert answer.status_code == 200 and ("k5" in text or "g5" in text)


def test_sla2_near_breach_counted_once_warned(demo, groups, new_case, act, frozen):  # SLA-2, ROUTE-1
    def near():
        return next(g for g in queries_supervisor.team(act("lina")).groups if g.code == "hotline").counts[
            "near"
        ]

    before = near()
    case = new_case()
    timer = min(
        (t for t in queries.intake.running_clocks(case) if t.warn_at is not None), key=lambda t: t.warn_at
    )
    assert near() == before
    clock.freeze(timer.warn_at + timedelta(minutes=1))
    assert clock.now() < timer.due_at
    deadlines.sweep()
    assert near() == before + 1


def test_executives_read_every_team_view_and_act_on_none(demo, groups, act):  # issue 13 "Menus by role"
    # 总经理 张伟 and 集团领导 刘洋 (group-wide case.oversee) read the overview of every subsidiary's teams;
    # assigning and availability stay with the supervisors (case.manage)
    for username in ("zhangwei", "liuyang"):
        overview = queries_supervisor.team(act(username))
        every = {g.pk for g in SkillGroup.objects.filter(active=True)}
        assert len(every) > 1 and {g.pk for g in overview.groups} == every
        page = login(demo, username).get("/cases/team/")
        body = page.content.decode()
        assert page.status_code == 200 and "热线组" in body and "投诉组" in body
        assert "/availability/" not in body and "/assign/" not in body  # read only
        assert 'href="/cases/team/"' in login(demo, username).get("/").content.decode()  # in the menu
        answer = Client().get("/api/v1/cases/team", **bearer(demo[username].user))
        assert answer.status_code == 200
    refused = login(demo, "zhangwei").post(
        f"/cases/team/people/{demo['zhaomin'].pk}/availability/", {"available": "0"}
    )
    assert refused.status_code == 404
