from datetime import UTC, datetime

from django.db import migrations

from kefu.org import seed
from kefu.quality import seed as quality_seed


def grant(apps, schema_editor):
    # APR-1 (issue 16): appraisal.view / appraisal.manage for the built-in roles (seed.APPRAISAL_PERMISSIONS),
    # and the group's default appraisal schemes (本系统默认值)
    seed.sync_permissions(apps.get_model("org", "Role"), seed.APPRAISAL_PERMISSIONS)
    quality_seed.apply_appraisal(
        apps.get_model("quality", "AppraisalScheme"),
        apps.get_model("quality", "AppraisalItem"),
        datetime(2026, 1, 1, tzinfo=UTC),
    )


class Migration(migrations.Migration):
    dependencies = [("quality", "0006_appraisals"), ("org", "0003_delegation_state")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
