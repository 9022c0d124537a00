"""POL-1: a fresh database starts with version 1 of the shipped pack (src/kefu/policies/default.yaml).

Later changes of the file are loaded with `kefu policy load` (a new version only when the file changed).
"""

from datetime import UTC, datetime

from django.db import migrations

from kefu.core import clock
from kefu.engine.policy import pack


def load(apps, schema_editor):
    PolicyVersion = apps.get_model("policy", "PolicyVersion")
    PolicyEntry = apps.get_model("policy", "PolicyEntry")
    if PolicyVersion.objects.exists():
        return
    entries, sha, name = pack.read()
    version = PolicyVersion.objects.create(
        number=1,
        effective_from=datetime(2000, 1, 1, tzinfo=UTC),
        loaded_at=clock.now(),
        source=f"{name} sha256 {sha[:16]}",
        file_sha256=sha,
        digest=pack.digest([{**e, "edited": False} for e in entries]),
        note="initial load by migration",
    )
    PolicyEntry.objects.bulk_create([PolicyEntry(version=version, **e) for e in entries])


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
