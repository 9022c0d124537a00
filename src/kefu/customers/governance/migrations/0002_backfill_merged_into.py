"""CUS-6: customers merged before `Customer.merged_into` existed point at their survivor."""

from django.db import migrations


def backfill(apps, schema_editor):
    MergeRequest = apps.get_model("customer_governance", "MergeRequest")
    Customer = apps.get_model("customers", "Customer")
    for survivor_id, duplicate_id in MergeRequest.objects.filter(state="done").values_list(
        "survivor_id", "duplicate_id"
    ):
        Customer.objects.filter(pk=duplicate_id, merged_into__isnull=True).update(merged_into_id=survivor_id)


class Migration(migrations.Migration):
    dependencies = [
        ("customer_governance", "0001_initial"),
        ("customers", "0005_customer_merged_into"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
