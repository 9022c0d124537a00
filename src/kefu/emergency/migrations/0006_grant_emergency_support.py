from django.db import migrations

from kefu.org import seed


def grant(apps, schema_editor):
    # RES-1, WX-1, FEE-1 (issue 17): resources.*, weather.*, fees.* for the built-in roles
    seed.sync_permissions(apps.get_model("org", "Role"), seed.EMERGENCY_SUPPORT_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("emergency", "0005_resources_weather_fees"), ("org", "0003_delegation_state")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
