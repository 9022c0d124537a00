from django.db import migrations, models


class Migration(migrations.Migration):
    # issue 15 bench (docs/performance.md): the availability check reads a person's approved leave not
    # yet over from the index alone — starts_at joins the partial index, no table row per leave
    dependencies = [("workforce", "0006_grant_attendance_permissions")]
    operations = [
        migrations.RemoveIndex(model_name="leaverequest", name="workforce_leave_approved"),
        migrations.AddIndex(
            model_name="leaverequest",
            index=models.Index(
                condition=models.Q(("state", "approved")),
                fields=["employee", "ends_at", "starts_at"],
                name="workforce_leave_covers",
            ),
        ),
    ]
