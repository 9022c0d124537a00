from django.db import migrations

from kefu.cases import seed as case_seed
from kefu.org import seed as org_seed


def forward(apps, schema_editor):
    case_seed.apply(apps.get_model("cases", "CaseKind"))
    org_seed.sync_permissions(apps.get_model("org", "Role"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial"), ("org", "0002_seed_posts_roles")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
