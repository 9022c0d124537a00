from django.db import migrations

from kefu.org import seed


def grant(apps, schema_editor):
    # report.submit for every staff role, report.review for supervisors, managers and group leaders,
    # report.manage (the monthly service report) for managers (issue 16, RPT-1)
    seed.sync_permissions(apps.get_model("org", "Role"))


class Migration(migrations.Migration):
    dependencies = [("insights", "0003_reports"), ("org", "0003_delegation_state")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
