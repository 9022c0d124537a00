"""`kefu demo load` brings 郑凯's revisit queue to life: one due, one overdue, one unreachable retry; and
a planned revisit campaign, with its report, the month report and the plans in Chinese."""

from django.test import Client
from tests.pages.test_chinese_only import latin_shown

from kefu.cases.demo import load_cases
from kefu.core import clock
from kefu.followups.demo import load_revisits
from kefu.followups.models import RevisitTask, TaskState


def test_demo_revisits_make_the_queue_alive(demo, admin_actor):  # FUP-1
    load_cases(admin_actor)
    result = load_revisits(admin_actor)
    assert result["revisits"] == 3
    tasks = RevisitTask.objects.filter(assignee=demo["zhengkai"], state=TaskState.OPEN)
    assert tasks.count() == 3
    assert tasks.filter(due_at__lt=clock.now()).exists()  # overdue
    assert tasks.filter(due_at__gt=clock.now()).exists()  # due
    assert tasks.filter(unreachable_count=1, next_try_at__isnull=False).exists()  # waiting for its retry
    client = Client()
    client.force_login(demo["zhengkai"].user)
    page = client.get("/revisits/").content.decode()
    assert page.count('id="revisit-row-') == 3 and "row-overdue" in page
    for task in tasks:  # every page of the queue in words (issue 13), the retry's "为什么" too
        html = client.get(f"/revisits/{task.pk}/").content.decode()
        assert "回访记录表" in html and not latin_shown(html, {"zhengkai", "lvxin", "gaofeng"})
    assert not latin_shown(page)
    for path in ("/revisits/campaigns/", f"/revisits/campaigns/{result['campaign']}/", "/revisits/monthly/"):
        client.force_login(demo["gaofeng"].user)
        html = client.get(path).content.decode()
        assert "回访" in html and not latin_shown(html, {"zhengkai", "lvxin", "gaofeng"}), path
    html = client.get("/revisits/plans/").content.decode()
    assert "解决后回访" in html and not latin_shown(html, {"zhengkai", "lvxin", "gaofeng"})
    assert load_revisits(admin_actor) == {"revisits": 0}  # a second load adds nothing
