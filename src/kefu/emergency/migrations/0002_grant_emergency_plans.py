from django.db import migrations

from kefu.org import seed


def grant(apps, schema_editor):
    # emergency.view / emergency.plan.manage / emergency.body.manage for the built-in roles (issue 17,
    # EMG-1…EMG-3): seed.EMERGENCY_PERMISSIONS
    seed.sync_permissions(apps.get_model("org", "Role"), seed.EMERGENCY_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("emergency", "0001_plans_bodies_levels"), ("org", "0003_delegation_state")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
