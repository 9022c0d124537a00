from django.db import migrations

from kefu.org import seed


def grant(apps, schema_editor):
    # attendance.view / attendance.manage for the built-in roles (issue 15, ATT-1): HR, managers and the
    # 排班管理员 import and check attendance; supervisors read their team's
    seed.sync_permissions(apps.get_model("org", "Role"))


class Migration(migrations.Migration):
    dependencies = [("workforce", "0005_handovers_attendance"), ("org", "0003_delegation_state")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
