"""Issue 13: the gram index of the customer search (name, company), PostgreSQL only. See
kefu.core.textsearch."""

from django.db import migrations

from kefu.core import textsearch

COLUMNS = ("name", "company")  # kefu.customers.queries.archive.TEXT_COLUMNS


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in textsearch.index_sql("customers_customer", "customers_text_grams", COLUMNS):
            schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('DROP INDEX IF EXISTS "customers_text_grams"')


class Migration(migrations.Migration):
    dependencies = [("customers", "0006_encrypt_contact_email"), ("core", "0007_text_grams")]
    operations = [migrations.RunPython(create_index, drop_index)]
