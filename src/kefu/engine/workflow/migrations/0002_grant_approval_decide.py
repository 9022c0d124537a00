from django.db import migrations

# Roles that approve leave, compensation, access requests …: managers and above (WF-4).
# Supervisory-only roles never get it (ORG-4).
APPROVERS = ["admin", "executive", "cs_manager", "cs_supervisor", "hr_admin", "site_lead", "info_supervisor"]


def grant(apps, schema_editor):
    Role = apps.get_model("org", "Role")
    for role in Role.objects.filter(code__in=APPROVERS, supervisory_only=False):
        if "approval.decide" not in role.permissions:
            role.permissions = sorted([*role.permissions, "approval.decide"])
            role.save(update_fields=["permissions"])


def revoke(apps, schema_editor):
    Role = apps.get_model("org", "Role")
    for role in Role.objects.filter(code__in=APPROVERS):
        role.permissions = [p for p in role.permissions if p != "approval.decide"]
        role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_initial"), ("org", "0002_seed_posts_roles")]
    operations = [migrations.RunPython(grant, revoke)]
