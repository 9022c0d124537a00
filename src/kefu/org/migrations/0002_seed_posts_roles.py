from django.db import migrations

from kefu.org.seed import POSTS, ROLES


def seed(apps, schema_editor):
    Post = apps.get_model("org", "Post")
    Role = apps.get_model("org", "Role")
    for code, name in POSTS:
        Post.objects.get_or_create(code=code, defaults={"name": name})
    for code, name, scope, supervisory, permissions, description in ROLES:
        Role.objects.get_or_create(code=code, defaults={
            "name": name, "scope": scope, "supervisory_only": supervisory, "permissions": permissions,
            "description": description, "builtin": True})


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
