from django.db import migrations

from kefu.org import seed


def grant(apps, schema_editor):
    # PRC-1, ORD-1 (issue 18): catalogue.* and order.* for the built-in roles
    seed.sync_permissions(apps.get_model("org", "Role"), seed.COMMERCE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial"), ("org", "0003_delegation_state")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
