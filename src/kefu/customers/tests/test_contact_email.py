"""SEC-1: a key person's e-mail address (customers.Contact.email) is encrypted at rest like their
phone; the archive still shows it to those who see the customer, and older rows are encrypted by the
migration."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.utils.module_loading import import_string

from kefu.customers import actions
from kefu.customers.models import Contact

EMAIL = "shen.zhuli@customer.example.net"
pytestmark = pytest.mark.django_db


def stored_email(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM customers_contact WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_sec1_a_key_persons_email_is_encrypted_and_still_shown(make_customer, login, demo, actor_of):  # SEC-1
    customer = make_customer(name="沈氏集团", kind="organisation")
    contact = actions.add_contact(actor_of(demo["wangfang"]), customer, name="沈助理", email=EMAIL)
    assert stored_email(contact.pk).startswith("v1:") and EMAIL not in stored_email(contact.pk)
    assert Contact.objects.get(pk=contact.pk).email == EMAIL
    shown = login("wangfang").get(f"/api/v1/customers/{customer.pk}/contacts").json()
    assert [c["email"] for c in shown] == [EMAIL]


def test_sec1_addresses_stored_before_the_migration_are_encrypted_by_it(
    make_customer, demo, actor_of
):  # SEC-1
    migration = import_string("kefu.customers.migrations.0006_encrypt_contact_email.encrypt_existing")
    customer = make_customer(name="沈氏集团", kind="organisation")
    contact = actions.add_contact(actor_of(demo["wangfang"]), customer, name="沈助理", email=EMAIL)
    other = actions.add_contact(actor_of(demo["wangfang"]), customer, name="沈秘书")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE customers_contact SET email = %s WHERE id = %s", [EMAIL, contact.pk])
    migration(None, SimpleNamespace(connection=connection))
    first = stored_email(contact.pk)
    assert first.startswith("v1:") and Contact.objects.get(pk=contact.pk).email == EMAIL
    assert stored_email(other.pk) == ""  # nothing to encrypt
    migration(None, SimpleNamespace(connection=connection))  # a second run changes nothing
    assert stored_email(contact.pk) == first
