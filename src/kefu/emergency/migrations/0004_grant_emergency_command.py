from django.db import migrations

from kefu.org import seed


def grant(apps, schema_editor):
    # EMG-5 (issue 17): emergency.command for the command centre's roles (seed.EMERGENCY_COMMAND_PERMISSIONS)
    seed.sync_permissions(apps.get_model("org", "Role"), seed.EMERGENCY_COMMAND_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("emergency", "0003_surges"), ("org", "0003_delegation_state")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
