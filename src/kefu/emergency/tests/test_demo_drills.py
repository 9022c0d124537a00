"""`load_drills` (DRL-1) on the demo plans: last year's drills held and evaluated with one corrective action
closed and one open (overdue, with its plan revision), this year's drills coming up and one waiting for its
evaluation, the other plans due — and the drill pages show them in Chinese."""

from django.test import Client
from tests.pages.test_chinese_only import latin_shown

from kefu.core import clock
from kefu.emergency.demo import load_emergency
from kefu.emergency.demo_drills import load_drills
from kefu.emergency.models import Drill, DrillAction, DrillStatus, RevisionTask
from kefu.emergency.queries import drills as queries
from kefu.org.access import actor_for
from kefu.org.models import Unit

NAMES = {"wangfang", "gaofeng", "zhangwei"}


def test_demo_drills_drl1(demo, admin_actor, django_assert_max_num_queries):
    load_emergency(admin_actor)
    assert load_drills()["drills"] == 7
    assert load_drills()["drills"] == 0  # once
    realty = Unit.objects.get(code="hc-realty")
    last = queries.summary(realty, clock.today().year - 1)
    assert (last.held, last.evaluated, last.actions_open, last.actions_closed) == (3, 3, 1, 1)
    assert last.actions_overdue == 1 and last.average == round((86 + 72 + 91) / 3, 1)
    assert RevisionTask.objects.filter(reason="drill", done_at__isnull=True).count() == 1
    assert DrillAction.objects.filter(closed_at__isnull=False).count() == 1
    assert Drill.objects.filter(status=DrillStatus.HELD).count() == 1  # 待评估
    wangfang = actor_for(demo["wangfang"].user, origin="test")
    due = {p.plan_type for p in queries.due_plans(wangfang) if p.unit_id == realty.pk}
    assert "fire" in due and not {"system_failure", "complaint_surge"} & due
    held = Drill.objects.get(status=DrillStatus.HELD)
    pages = {
        "wangfang": [
            "/emergency/drills/",
            f"/emergency/drills/{held.pk}/",
            f"/emergency/drills/{Drill.objects.filter(unit=realty, status=DrillStatus.EVALUATED).first().pk}/",
            f"/emergency/drills/summary/?year={clock.today().year - 1}",
        ],
        "zhangwei": ["/emergency/drills/", "/emergency/drills/summary/"],
    }
    listing = Client()
    listing.force_login(demo["wangfang"].user)
    with django_assert_max_num_queries(40):  # 38 plans: no query per plan
        assert listing.get("/emergency/drills/").status_code == 200
    for who, urls in pages.items():
        client = Client()
        client.force_login(demo[who].user)
        for page in urls:
            response = client.get(page)
            html = response.content.decode()
            assert response.status_code == 200, (who, page)
            assert not latin_shown(html, NAMES), (who, page, latin_shown(html, NAMES))


def test_demo_drills_audit_reads_in_chinese_drl1(demo, admin_actor, admin_user):
    """The audit log names the drills' events, objects and fields in words (issue 13)."""
    load_emergency(admin_actor)
    load_drills()
    client = Client()
    client.force_login(admin_user)
    html = client.get("/audit/").content.decode()
    assert "评估应急演练" in html and "应急演练" in html  # the latest events are the drills'
    shown = latin_shown(html, set(demo) | {"admin"})
    assert not {w for w in shown if "drill" in w.lower() or "_" in w}
