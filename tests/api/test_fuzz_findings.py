"""What the schemathesis run (tests/api/test_fuzz.py) found, one reproducer each, so a finding
stays fixed even if the fuzzer stops generating that input (issue 10)."""

import json

import pytest
from django.test import Client

from tests.api.test_bad_input import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(admin_user):
    client = Client(raise_request_exception=False)
    auth = bearer(admin_user)

    def call(method: str, url: str, body=None):
        if body is None:
            return getattr(client, method)(url, **auth)
        return getattr(client, method)(url, json.dumps(body), content_type="application/json", **auth)

    return call


def test_an_export_with_control_characters_in_a_name_is_a_file_not_a_500(admin, demo):
    # POST /customers/governance/exports answered 500: openpyxl refuses control characters in a cell
    from kefu.customers.models import Customer

    Customer.objects.filter(pk=Customer.objects.order_by("pk").first().pk).update(name="王\x01五\x1f")
    response = admin("post", "/api/v1/customers/governance/exports", {"purpose": "period"})
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
