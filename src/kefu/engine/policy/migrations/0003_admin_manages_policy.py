"""The seeded `admin` role may change the policy pack (permission policy.manage)."""

from django.db import migrations


def grant(apps, schema_editor):
    Role = apps.get_model("org", "Role")
    for role in Role.objects.filter(code="admin"):
        if "policy.manage" not in role.permissions:
            role.permissions = [*role.permissions, "policy.manage"]
            role.save(update_fields=["permissions"])


def revoke(apps, schema_editor):
    Role = apps.get_model("org", "Role")
    for role in Role.objects.filter(code="admin"):
        role.permissions = [p for p in role.permissions if p != "policy.manage"]
        role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("policy", "0002_load_default_pack"), ("org", "0002_seed_posts_roles")]
    operations = [migrations.RunPython(grant, revoke)]
