from django.db import migrations

from kefu.org import seed


def apply_seed(apps, schema_editor):
    seed.apply(apps.get_model("org", "Post"), apps.get_model("org", "Role"))


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(apply_seed, migrations.RunPython.noop)]
