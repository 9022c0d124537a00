from datetime import UTC, datetime

from django.db import migrations

from kefu.org import seed
from kefu.quality import seed as quality_seed


def grant(apps, schema_editor):
    # QA-1 (issue 16): quality.view / quality.inspect / quality.configure for the built-in roles, and the
    # group's default scorecard and sampling plan
    seed.sync_permissions(apps.get_model("org", "Role"))
    quality_seed.apply(
        apps.get_model("quality", "Scorecard"),
        apps.get_model("quality", "ScorecardItem"),
        apps.get_model("quality", "SamplingPlan"),
        datetime(2026, 1, 1, tzinfo=UTC),
    )


class Migration(migrations.Migration):
    dependencies = [("quality", "0003_inspections"), ("org", "0003_delegation_state")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
