from django.db import migrations

from kefu.org import seed


def grant(apps, schema_editor):
    seed.sync_permissions(apps.get_model("org", "Role"))


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial"), ("org", "0002_seed_posts_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
