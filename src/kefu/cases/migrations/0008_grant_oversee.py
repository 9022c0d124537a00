from django.db import migrations

from kefu.org import seed


def grant(apps, schema_editor):
    # case.oversee for the built-in 集团领导 role: executives read every team view (issue 13)
    seed.sync_permissions(apps.get_model("org", "Role"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_satisfaction_source")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
