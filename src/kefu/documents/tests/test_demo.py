"""The documents demo (DOC-1): the five seed documents as the group's policy library with some staff
acknowledged and some not, version 2 of one of them half read, a notice, this year's annual plan with
progress and one item overdue, two suggestions (one accepted). Loading twice changes nothing."""

import pytest

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.documents.demo import load_documents
from kefu.documents.models import Notice, Policy, Reading, Suggestion, WorkPlan
from kefu.documents.queries import plans as plan_queries

pytestmark = pytest.mark.django_db


def test_doc1_demo_policy_library_plan_and_suggestions(demo, admin_user, act):  # DOC-1
    admin = Actor(user=admin_user, origin="cli demo")
    load_documents(admin)
    library = Policy.objects.filter(unit__code="hc-group")
    assert library.count() == 5
    revised = library.get(title="集团公司客户管理服务中心管理制度")
    v2 = revised.versions.get(number=2)
    assert v2.readings.filter(acknowledged_at__isnull=False).count() >= 5
    assert v2.readings.filter(acknowledged_at__isnull=True).exists()
    unread = Reading.objects.filter(version__number=1, acknowledged_at__isnull=True)
    assert unread.filter(employee=demo["huanglei"]).count() == 5
    assert Reading.objects.filter(version__number=1, acknowledged_at__isnull=False).count() > 50
    assert Notice.objects.count() == 1
    own = Policy.objects.get(unit__code="hc-realty").versions.get()
    assert set(
        own.readings.filter(acknowledged_at__isnull=True).values_list("employee__user__username", flat=True)
    ) == {"zhaomin", "sunli"}
    plan = WorkPlan.objects.get(unit__code="hc-realty", year=clock.today().year, kind="annual")
    assert [i.text for i in plan_queries.items(plan) if i.overdue] == ["投诉处理满意度回访覆盖全部已结投诉"]
    assert plan.items.filter(percent__gt=0).count() >= 3
    assert sorted(Suggestion.objects.values_list("status", flat=True)) == ["accepted", "submitted"]
    load_documents(admin)  # twice: nothing more
    assert Policy.objects.count() == 6 and WorkPlan.objects.count() == 1 and Suggestion.objects.count() == 2
