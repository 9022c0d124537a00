from django.db import migrations

from kefu.org import seed


def grant(apps, schema_editor):
    # documents.view / documents.manage for the built-in roles (issue 18, DOC-1): seed.DOCUMENTS_PERMISSIONS
    seed.sync_permissions(apps.get_model("org", "Role"), seed.DOCUMENTS_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_policies_notices_plans_suggestions"), ("org", "0003_delegation_state")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
