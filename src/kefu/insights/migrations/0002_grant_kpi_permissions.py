from django.db import migrations

from kefu.org import seed


def grant(apps, schema_editor):
    # kpi.view for the built-in roles (issue 16, KPI-1): managers, supervisors, executives and
    # inspectors read the KPIs of their scope; agents their own
    seed.sync_permissions(apps.get_model("org", "Role"))
    # the KPI sweep's cursor, so that two workers' first sweeps never race to create it
    apps.get_model("insights", "FactCursor").objects.get_or_create(name="kpi")


class Migration(migrations.Migration):
    dependencies = [("insights", "0001_kpis"), ("org", "0003_delegation_state")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
