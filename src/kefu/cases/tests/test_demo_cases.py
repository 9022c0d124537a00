"""`kefu demo load` brings the workbench to life: every kind and state, overdue and escalated cases."""

from django.db.models import Count

from kefu.cases.demo import load_cases
from kefu.cases.models import Case, ClosureReport, Comment, Family, Handoff, Transfer
from kefu.engine.workflow.models import Escalation
from kefu.knowledge.models import Article


def test_demo_cases_cover_every_kind_and_the_lively_states(demo, admin_actor):
    result = load_cases(admin_actor)
    assert result["cases"] >= 14
    families = set(Case.objects.values_list("family", flat=True))
    assert families == set(Family.values)
    states = set(Case.objects.values_list("state", flat=True))
    assert {"received", "routed", "investigating", "waiting", "revisit", "closed"} <= states
    assert Escalation.objects.filter(
        chain="case", automatic=True
    ).exists()  # overdue → escalated by the sweep
    assert Escalation.objects.filter(chain="case").exclude(skipped=[]).exists()  # ESC-1 skip-level
    assert ClosureReport.objects.exists() and Comment.objects.exists() and Handoff.objects.exists()
    assert Transfer.objects.filter(bounce=True).exists()
    assert Article.objects.filter(state="published").count() >= 10
    per_unit = dict(Case.objects.values_list("unit__code").annotate(n=Count("pk")))
    assert any(code.startswith("water") for code in per_unit)
    assert load_cases(admin_actor) == {"cases": 0}  # a second load adds nothing
