"""Issue 13: `kefu_grams(text)`, the character bigrams the search indexes are built on (PostgreSQL
only; SQLite searches with LIKE). See kefu.core.textsearch."""

from django.db import migrations

from kefu.core import textsearch


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(textsearch.FUNCTION_SQL)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS kefu_grams(text)")


class Migration(migrations.Migration):
    dependencies = [("core", "0006_config_generation")]
    operations = [migrations.RunPython(create_function, drop_function)]
