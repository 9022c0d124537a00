from django.db import migrations

from kefu.org import seed


def grant(apps, schema_editor):
    # care.view / care.manage / care.approve for the built-in roles that look after customers (CARE-1…3)
    seed.sync_permissions(apps.get_model("org", "Role"))


class Migration(migrations.Migration):
    dependencies = [("followups", "0005_care"), ("org", "0003_delegation_state")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
