from django.db import migrations

from kefu.org import seed


def grant(apps, schema_editor):
    # revisit.view / revisit.handle / revisit.configure for the built-in roles (issue 14): the 回访专员
    # handles revisits, managers configure plans and campaigns; case readers still read revisits
    seed.sync_permissions(apps.get_model("org", "Role"))


class Migration(migrations.Migration):
    dependencies = [("followups", "0002_surveys"), ("org", "0003_delegation_state")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
