"""VEN-1 with real parallel connections on PostgreSQL: two reviewers approving the same filing at once
issue one certificate (the filing's row lock); two workers sweeping an unanswered supplement past its
deadline return the filing once; two workers sweeping a report past its grace lapse the filing once (each
with one decision record). The races are forced: both have read the rows before either writes."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from kefu import demo as demo_data
from kefu.core import clock
from kefu.core.errors import Conflict
from kefu.core.models import Decision
from kefu.emergency.tests.parallel import together
from kefu.org.access import actor_for
from kefu.org.models import Employee, Unit
from kefu.vendors.actions import common, filings, reviews, supervision
from kefu.vendors.models import Certificate, Filing, FilingStatus, MaterialKind
from kefu.vendors.queries import filings as queries

pytestmark = [
    pytest.mark.pg_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a real parallel race needs PostgreSQL"),
]


def _world(media):
    demo_data.load(service_cases=False)
    clock.freeze(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    people = {e.user.username: e for e in Employee.objects.select_related("user")}
    act = lambda username: actor_for(people[username].user, origin="test")  # noqa: E731
    first17 = "91330106MA2PAR001"
    found = filings.create(
        act("wangfang"),
        unit=Unit.objects.get(code="hc-realty"),
        name="并发外包客服有限公司",
        credit_code=first17 + common.check_digit(first17),
        registered_capital="100",
        contact_name="并发",
        contact_phone="13900000000",
    )
    for kind in MaterialKind:
        upload = SimpleUploadedFile("m.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
        filings.add_material(act("wangfang"), found, kind=kind, upload=upload)
    filings.submit(act("wangfang"), found)
    return act, found


def _both_read(monkeypatch, name):
    both = threading.Barrier(2, timeout=20)
    real = getattr(queries, name)

    def read_together(*args):
        found = real(*args)
        both.wait()  # neither locks before both have seen the row
        return found

    monkeypatch.setattr(queries, name, read_together)


@pytest.mark.django_db(transaction=True)
def test_ven1_two_approvals_at_once_issue_one_certificate(admin_user, media):  # VEN-1
    act, found = _world(media)
    made = together(lambda who: reviews.approve(act(who), found), ["zhangwei", "liuyang"])
    clock.reset()
    assert len([m for m in made if isinstance(m, Certificate)]) == 1, made
    assert len([m for m in made if isinstance(m, Conflict)]) == 1, made
    assert Certificate.objects.filter(filing=found).count() == 1 and found.dues.count() == 1


@pytest.mark.django_db(transaction=True)
def test_ven1_two_workers_return_an_unanswered_filing_once(admin_user, media, monkeypatch):  # VEN-1
    act, found = _world(media)
    reviews.request_supplement(act("zhangwei"), found, reason="请补充")
    clock.advance(timedelta(days=16))
    _both_read(monkeypatch, "expired_supplement_ids")
    swept = together(lambda _: reviews.expire(), [1, 2])
    clock.reset()
    assert sorted(swept) == [0, 1], swept
    assert Filing.objects.get(pk=found.pk).status == FilingStatus.RETURNED
    assert Decision.objects.filter(object_id=str(found.pk), outcome="逾期未补正，备案已退回").count() == 1


@pytest.mark.django_db(transaction=True)
def test_ven1_two_workers_lapse_a_late_filing_once(admin_user, media, monkeypatch):  # VEN-1
    act, found = _world(media)
    reviews.approve(act("zhangwei"), found)
    due = found.dues.get()
    clock.freeze(clock.local() + (due.lapse_after - clock.today()) + timedelta(days=1))
    _both_read(monkeypatch, "lapsing_due_ids")
    swept = together(lambda _: supervision.lapse(), [1, 2])
    clock.reset()
    assert sorted(swept) == [0, 1], swept
    assert Filing.objects.get(pk=found.pk).status == FilingStatus.LAPSED
    assert Decision.objects.filter(object_id=str(found.pk), outcome__startswith="备案失效").count() == 1
    assert Certificate.objects.filter(filing=found, lapsed_at__isnull=False).count() == 1
