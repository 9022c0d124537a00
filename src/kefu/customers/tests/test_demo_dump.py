"""Demo customers cover every dimension; SEC-1 holds for a full pg_dump of the database."""

import os
import shutil
import subprocess

import pytest
from django.db import connection

from kefu.customers.demo import _phone
from kefu.customers.models import Customer

pytestmark = pytest.mark.django_db


def test_demo_customers_cover_every_dimension(demo):
    live = Customer.objects.all()
    assert live.count() >= 40
    assert set(live.values_list("tier", flat=True)) == {"strategic", "key", "normal"}
    assert set(live.values_list("audience", flat=True)) == {"A", "B", "C", "D"}
    assert set(live.values_list("stage", flat=True)) == {"expansion", "maintenance", "recovery", "value"}
    assert set(live.values_list("kind", flat=True)) == {"person", "organisation"}
    assert {"hc-realty", "hc-water"} <= {_subsidiary(c) for c in live.select_related("unit")}
    organisations = live.filter(kind="organisation")
    assert all(o.contacts.filter(is_key_person=True).exists() for o in organisations)
    assert live.filter(at_risk=True).exists() and live.exclude(specialist=None).exists()


@pytest.mark.django_db(transaction=True)
def test_sec1_pg_dump_holds_no_plaintext_phone(demo):
    # SEC-1: the whole database, dumped, holds no demo customer phone or ID in clear
    customer = Customer.objects.filter(kind="person").order_by("pk").first()
    assert customer.phone == _phone(0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM customers_customer")
        rows = repr(cursor.fetchall())
        cursor.execute("SELECT * FROM customers_contact")
        rows += repr(cursor.fetchall())
    assert _phone(0) not in rows and customer.id_number not in rows
    if connection.vendor != "postgresql" or shutil.which("pg_dump") is None:
        return
    settings = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    command = ["pg_dump", "--data-only", "-d", settings["NAME"], "-U", settings.get("USER") or "postgres"]
    if settings.get("HOST"):
        command += ["-h", settings["HOST"]]
    if settings.get("PORT"):
        command += ["-p", str(settings["PORT"])]
    dump = subprocess.run(command, env=env, capture_output=True, text=True, check=True, timeout=120).stdout
    assert "customers_customer" in dump
    assert _phone(0) not in dump and customer.id_number not in dump


def _subsidiary(customer) -> str:
    from kefu.engine.policy.api import subsidiary_of

    return subsidiary_of(customer.unit).code
