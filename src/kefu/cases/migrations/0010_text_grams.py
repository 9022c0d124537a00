"""Issue 13: the gram index of the case search (title, description, contact name), PostgreSQL only —
an expression index, so intake writes nothing more than before. See kefu.core.textsearch."""

from django.db import migrations

from kefu.core import textsearch

COLUMNS = ("title", "description", "contact_name")  # kefu.cases.queries.intake.TEXT_COLUMNS


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in textsearch.index_sql("cases_case", "cases_text_grams", COLUMNS):
            schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('DROP INDEX IF EXISTS "cases_text_grams"')


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_public_lookup"), ("core", "0007_text_grams")]
    operations = [migrations.RunPython(create_index, drop_index)]
