from django.db import migrations

from kefu.org import seed


def grant(apps, schema_editor):
    # VEN-1 (issue 18): vendors.view / vendors.manage / vendors.review for the built-in roles
    # (seed.VENDOR_PERMISSIONS)
    seed.sync_permissions(apps.get_model("org", "Role"), seed.VENDOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("vendors", "0001_filings"), ("org", "0003_delegation_state")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
