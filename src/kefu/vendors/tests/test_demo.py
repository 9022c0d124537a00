"""VEN-1 demo: three vendors of 华辰置业/华辰水务 — one approved with its certificate and a report due within the
reminder's days, one waiting for a supplement, one lapsed for a late report (its decision record names
VEN-1); loading twice changes nothing."""

import pytest

from kefu.core import clock
from kefu.core.models import Decision
from kefu.vendors.demo import APPROVED, LAPSED, SUPPLEMENT, load_vendors
from kefu.vendors.models import Certificate, Filing, FilingStatus
from kefu.vendors.queries import filings as queries

pytestmark = pytest.mark.django_db


def test_ven1_demo_vendors(demo, media):  # VEN-1
    assert load_vendors() == {"filings": 3}
    approved = Filing.objects.get(name=APPROVED[1])
    assert approved.status == FilingStatus.APPROVED and approved.unit.code == "hc-realty"
    assert queries.valid_certificate(approved) is not None
    due = queries.next_due(approved)
    assert 0 <= (due.due_on - clock.today()).days <= 7  # due soon: inside the reminder's 7 days
    waiting = Filing.objects.get(name=SUPPLEMENT[1])
    assert waiting.status == FilingStatus.SUPPLEMENT and queries.open_supplement(waiting).due_at > clock.now()
    lapsed = Filing.objects.get(name=LAPSED[1])
    assert lapsed.status == FilingStatus.LAPSED
    assert Certificate.objects.get(filing=lapsed).lapsed_at is not None
    assert (
        Decision.objects.filter(
            rule="VEN-1", object_id=str(lapsed.pk), outcome__startswith="备案失效"
        ).count()
        == 1
    )
    assert load_vendors() == {"filings": 0} and Filing.objects.count() == 3
