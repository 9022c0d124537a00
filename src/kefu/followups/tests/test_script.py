"""FUP-1 revisit script: the task page proposes a knowledge-base article only when it clearly matches
the revisit's case — nothing rather than a wrong script."""

import pytest

from kefu.followups.models import RevisitTask
from kefu.followups.queries import tasks as queries
from kefu.knowledge.demo import load_knowledge

pytestmark = pytest.mark.django_db


@pytest.fixture
def kb(demo, admin_actor):
    load_knowledge(admin_actor)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("咨询：水费账单比上月高出一倍", None),  # 电费账单解读 matched on 账单 alone: not proposed
        ("水压不足", None),  # nothing about water pressure
        ("停水通知什么时候发", "停水通知查询方法"),
        ("报修上门时间太晚", "报修上门时间说明"),
        ("如何办理用水户过户", "如何办理用水户过户"),
    ],
)
def test_fup1_script_is_proposed_only_when_relevant(kb, act, plan, open_case, resolve, title, expected):
    task = RevisitTask.objects.get(case=resolve(open_case(title=title)))
    found = queries.script(act("zhengkai"), task)
    assert (found.title if found else None) == expected


def test_fup1_task_page_shows_no_wrong_script(kb, demo, client, plan, open_case, resolve):
    task = RevisitTask.objects.get(case=resolve(open_case(title="咨询：水费账单比上月高出一倍")))
    client.force_login(demo["zhengkai"].user)
    body = client.get(f"/revisits/{task.pk}/").content.decode()
    assert "电费账单解读" not in body and 'id="revisit-script"' in body
