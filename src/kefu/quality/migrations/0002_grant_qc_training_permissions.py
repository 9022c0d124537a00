from django.db import migrations

from kefu.org import seed


def grant(apps, schema_editor):
    # qc.view / qc.manage / qc.register (综合部) and training.view / training.manage for the built-in
    # roles (issue 16, QC-1, TRN-1): seed.QC_TRAINING_PERMISSIONS
    seed.sync_permissions(apps.get_model("org", "Role"), seed.QC_TRAINING_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_qcgroups_training"), ("org", "0003_delegation_state")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
