from django.db import migrations

from kefu.engine.calendars import seed


def apply_seed(apps, schema_editor):
    seed.apply(apps.get_model("calendars", "Calendar"), apps.get_model("calendars", "CalendarWindow"))
    seed.grant_admin(apps.get_model("org", "Role"))


class Migration(migrations.Migration):
    dependencies = [("calendars", "0001_initial"), ("org", "0002_seed_posts_roles")]
    operations = [migrations.RunPython(apply_seed, migrations.RunPython.noop)]
