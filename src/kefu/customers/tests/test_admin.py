"""The django-admin screen of 客户分类管理标准 (CUS-2) writes through the archive's actions: every
change and removal leaves an audit row (issue 12)."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from kefu.core.models import AuditEvent
from kefu.customers.models import GradeStandard

pytestmark = pytest.mark.django_db


def test_grade_standard_changes_in_the_admin_are_audited(client, demo):  # CUS-2
    client.force_login(get_user_model().objects.get(username="admin"))
    standard = GradeStandard.objects.get(grade="B")
    answer = client.post(
        f"/django-admin/customers/gradestandard/{standard.pk}/change/",
        {"grade": "B", "min_annual_amount": "200000.00", "note": "调整"},
    )
    assert answer.status_code == 302
    standard.refresh_from_db()
    assert standard.min_annual_amount == Decimal("200000.00")
    event = AuditEvent.objects.filter(action="customers.grade_standard", object_id=str(standard.pk)).get()
    assert event.actor_name == "admin"
    assert event.before["min_annual_amount"] != event.after["min_annual_amount"]

    answer = client.post(f"/django-admin/customers/gradestandard/{standard.pk}/delete/", {"post": "yes"})
    assert answer.status_code == 302
    assert not GradeStandard.objects.filter(grade="B").exists()
    assert AuditEvent.objects.filter(action="customers.grade_standard_delete").count() == 1
