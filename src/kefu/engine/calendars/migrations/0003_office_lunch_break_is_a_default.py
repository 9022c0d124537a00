"""Issue 13: the seeds give the office day 8:30–17:30, not its 12:00–13:00 lunch break — the seeded
office calendar's name now says the break is 本系统默认值 (a calendar renamed by an administrator is left alone)."""

from django.db import migrations

from kefu.engine.calendars import seed


def mark(apps, schema_editor):
    seed.mark_office_lunch_break(apps.get_model("calendars", "Calendar"))


class Migration(migrations.Migration):
    dependencies = [("calendars", "0002_seed_calendars")]
    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
