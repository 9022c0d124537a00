"""Notices (DOC-1): published by a manager to units within the issuing unit; seen by the staff of those
units and below (and managers over the issuer), not by others; an outside unit is refused."""

import pytest
from django.test import Client

from kefu.core.errors import Invalid, NotFound, PermissionDenied
from kefu.documents.actions import notices as actions
from kefu.documents.queries import notices as queries
from kefu.engine.notifications.models import Notification
from kefu.org.models import Unit

pytestmark = pytest.mark.django_db


def test_doc1_notice_to_units_reaches_their_staff_only(act, realty, demo, frozen):  # DOC-1
    cs = Unit.objects.get(code="realty-cs")
    notice = actions.publish(
        act("wangfang"),
        unit=realty,
        kind="notice",
        title="值班安排",
        body="各班组：\n请按时到岗。",
        to_units=[cs],
    )
    told = set(
        Notification.objects.filter(template="documents.notice_published").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"zhaomin", "lina", "wangfang"} <= told and "huanglei" not in told and "gaofeng" not in told
    assert queries.notice(act("zhaomin"), notice.pk) == notice  # the hotline is within 客户服务部
    with pytest.raises(NotFound):
        queries.notice(act("huanglei"), notice.pk)  # 营销部: not addressed
    with pytest.raises(NotFound):
        queries.notice(act("gaofeng"), notice.pk)
    assert [n.pk for n in queries.notices(act("wangfang"))] == [notice.pk]


def test_doc1_notice_refused_outside_the_issuing_unit(act, realty, demo, frozen):  # DOC-1
    water = Unit.objects.get(code="hc-water")
    with pytest.raises(Invalid):
        actions.publish(act("wangfang"), unit=realty, kind="notice", title="越界", body="x", to_units=[water])
    with pytest.raises(PermissionDenied):
        actions.publish(act("gaofeng"), unit=realty, kind="notice", title="越权", body="x", to_units=[])
    with pytest.raises(PermissionDenied):
        actions.publish(act("zhaomin"), unit=realty, kind="announcement", title="越权", body="x", to_units=[])


def test_doc1_notice_pages(act, realty, demo, frozen):  # DOC-1
    client = Client()
    client.force_login(demo["wangfang"].user)
    answer = client.post(
        "/documents/notices/",
        {
            "unit": realty.pk,
            "kind": "announcement",
            "title": "服务之星评选公告",
            "body": "本月服务之星为赵敏。",
        },
    )
    assert answer.status_code == 302
    client.force_login(demo["zhaomin"].user)
    page = client.get(answer["Location"])
    assert page.status_code == 200 and "本月服务之星为赵敏" in page.content.decode()
    assert (
        client.post("/documents/notices/", {"unit": realty.pk, "title": "x"}).status_code == 200
    )  # no form for her
