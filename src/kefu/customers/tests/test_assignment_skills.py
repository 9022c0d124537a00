"""CUS-7 "负责客户数量均衡、兼顾业务能力": the specialist is chosen by skill (the customer's industry) and
then by load; nobody with the skill → the least loaded, and the decision record says so."""

import pytest

from kefu.core.decisions import for_object
from kefu.core.errors import NotFound
from kefu.core.models import AuditEvent
from kefu.customers import actions
from kefu.customers.actions import assignment as assigning
from kefu.customers.queries import assignment

pytestmark = pytest.mark.django_db


def _choice_decision(customer):
    return next(d for d in for_object(customer) if d.rule == "CUS-7" and "业务能力" in d.clause)


def test_cus7_skill_first_then_load(make_customer, demo, actor_of):  # CUS-7
    manager = actor_of(demo["wangfang"])
    loads = {e.user.username: e.load for e in assignment.candidates(make_customer())}
    # the busier of the two knows 制造业: the skill wins over the load
    busier = max(loads, key=lambda name: (loads[name], name))
    assigning.set_skills(manager, demo[busier], ["制造业", " 物流 "])
    customer = actions.assign(manager, make_customer(name="制造客户", industry="制造业"))
    assert customer.specialist.user.username == busier
    decision = _choice_decision(customer)
    assert decision.inputs["按业务能力 / by skill"] is True
    assert decision.inputs["所属行业 / industry"] == "制造业"
    assert decision.inputs["具备业务能力人数 / skilled"] == 1
    assert "制造业" in decision.outcome and "001" in decision.source


def test_cus7_least_loaded_among_the_skilled(make_customer, demo, actor_of):  # CUS-7
    manager = actor_of(demo["wangfang"])
    for name in ("zhaomin", "huanglei"):
        assigning.set_skills(manager, demo[name], ["物流"])
    loads = {e.user.username: e.load for e in assignment.candidates(make_customer())}
    customer = actions.assign(manager, make_customer(industry="物流"))
    assert loads[customer.specialist.user.username] == min(loads.values())
    assert _choice_decision(customer).inputs["具备业务能力人数 / skilled"] == 2


def test_cus7_nobody_with_the_skill_falls_back_to_load_and_says_so(make_customer, demo, actor_of):  # CUS-7
    manager = actor_of(demo["wangfang"])
    loads = {e.user.username: e.load for e in assignment.candidates(make_customer())}
    customer = actions.assign(manager, make_customer(industry="航天"))
    assert loads[customer.specialist.user.username] == min(loads.values())
    decision = _choice_decision(customer)
    assert decision.inputs["按业务能力 / by skill"] is False
    assert decision.outcome.startswith("无人具备「航天」业务能力")
    # no industry given: by load, and the record says the industry was missing
    plain = actions.assign(manager, make_customer())
    assert _choice_decision(plain).outcome.startswith("客户未填写所属行业")


def test_cus7_named_specialist_needs_no_choice_record(make_customer, demo, actor_of):  # CUS-7
    manager = actor_of(demo["wangfang"])
    customer = actions.assign(manager, make_customer(industry="航天"), demo["zhaomin"])
    assert not [d for d in for_object(customer) if "业务能力" in d.clause]


def test_cus7_skills_are_set_in_scope_and_audited(demo, actor_of):  # CUS-7
    manager = actor_of(demo["wangfang"])
    assert assigning.set_skills(manager, demo["zhaomin"], ["物流", "制造业", "物流", ""]) == [
        "制造业",
        "物流",
    ]
    assert assigning.set_skills(manager, demo["zhaomin"], ["物流"]) == ["物流"]
    event = AuditEvent.objects.filter(action="customers.specialist_skills").latest("pk")
    assert event.after == {"skills": ["物流"]}
    with pytest.raises(NotFound):  # 水务's specialist: another subsidiary
        assigning.set_skills(manager, demo["lvxin"], ["物流"])


def test_cus7_candidates_with_skills_in_fixed_queries(
    make_customer, demo, actor_of, django_assert_max_num_queries
):  # CUS-7
    assigning.set_skills(actor_of(demo["wangfang"]), demo["zhaomin"], ["物流"])
    pool = assignment.with_skills(assignment.candidates(make_customer()))
    with django_assert_max_num_queries(2):
        listed = {e.pk: [s.industry for s in e.skill_list] for e in pool}
    assert listed[demo["zhaomin"].pk] == ["物流"]
    assert sorted(listed[demo["huanglei"].pk]) == sorted(
        ["建筑", "城市开发", "建材贸易"]
    )  # the demo's skills


def test_cus7_api_sets_skills(demo, client):  # CUS-7
    client.force_login(demo["wangfang"].user)
    url = f"/api/v1/customers/specialists/{demo['zhaomin'].pk}/skills"
    done = client.put(url, {"industries": ["物流", "制造业"]}, content_type="application/json")
    assert done.status_code == 200 and done.json()["industries"] == ["制造业", "物流"]
    other = f"/api/v1/customers/specialists/{demo['lvxin'].pk}/skills"
    assert client.put(other, {"industries": ["物流"]}, content_type="application/json").status_code == 404
