from django.db import migrations

from kefu.org import seed


def grant(apps, schema_editor):
    # rota.view / rota.manage for the built-in roles (issue 15, WFM-1): the 排班管理员 and the team
    # lead manage rotas and approve shift changes; staff and their managers read rotas
    seed.sync_permissions(apps.get_model("org", "Role"))


class Migration(migrations.Migration):
    dependencies = [("workforce", "0002_rotas_coverage_changes"), ("org", "0003_delegation_state")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
