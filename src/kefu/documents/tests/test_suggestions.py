"""Improvement suggestions (DOC-1): any staff member; reviewed once by a manager over the author's unit —
accepted, or declined with a reason — and an accepted one closed as implemented; the author is told."""

import pytest
from django.test import Client

from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from kefu.documents.actions import suggestions as actions
from kefu.documents.queries import suggestions as queries
from kefu.engine.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_doc1_suggestion_reviewed_and_tracked_to_implemented(act, demo, frozen):  # DOC-1
    made = actions.submit(act("zhaomin"), title="等待音乐播报常见问题", body="减少重复咨询")
    assert made.status == "submitted" and made.unit == demo["zhaomin"].unit
    with pytest.raises(NotFound):
        queries.suggestion(act("gaofeng"), made.pk)
    with pytest.raises(PermissionDenied):
        actions.review(act("gaofeng"), made, accept=True)
    with pytest.raises(PermissionDenied):
        actions.review(act("zhaomin"), made, accept=True)
    with pytest.raises(Conflict):
        actions.implement(act("wangfang"), made, implementation="已上线")  # not accepted yet
    accepted = actions.review(act("wangfang"), made, accept=True)
    assert accepted.status == "accepted"
    with pytest.raises(Conflict):
        actions.review(act("wangfang"), made, accept=False, reason="再议")  # once
    done = actions.implement(act("wangfang"), made, implementation="已上线语音播报")
    assert done.status == "implemented" and done.implemented_at
    assert (
        Notification.objects.filter(
            template="documents.suggestion_reviewed", recipient=demo["zhaomin"].user
        ).count()
        == 2
    )


def test_doc1_declining_needs_a_reason(act, demo, frozen):  # DOC-1
    made = actions.submit(act("lvxin"), title="短信预约回拨", body="减少占线")
    with pytest.raises(Invalid):
        actions.review(act("gaofeng"), made, accept=False, reason="")
    declined = actions.review(act("gaofeng"), made, accept=False, reason="短信平台暂不支持")
    assert declined.status == "declined" and declined.reason == "短信平台暂不支持"


def test_doc1_suggestion_pages(demo, frozen):  # DOC-1
    client = Client()
    client.force_login(demo["zhaomin"].user)
    answer = client.post(
        "/documents/suggestions/", {"title": "增加自助查询", "body": "客户可自助查询工单进度"}
    )
    assert answer.status_code == 302
    client.force_login(demo["wangfang"].user)
    page = client.get(answer["Location"]).content.decode()
    assert 'id="review-form"' in page
    bad = client.post(answer["Location"], {"what": "review", "decision": "decline", "reason": ""})
    assert bad.status_code == 400
    assert client.post(answer["Location"], {"what": "review", "decision": "accept"}).status_code == 302
