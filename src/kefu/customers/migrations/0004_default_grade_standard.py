"""CUS-2: the default 客户分类管理标准 (grade by annual amount). Not from the seeds, which name the
standard without numbers; administrators change the rows in the admin."""

from decimal import Decimal

from django.db import migrations

DEFAULTS = [
    ("A", Decimal("1000000"), "默认值，制度未规定：年交易额 ≥ 100 万元"),
    ("B", Decimal("100000"), "默认值，制度未规定：年交易额 ≥ 10 万元"),
    ("C", Decimal("0"), "默认值，制度未规定：其余"),
]


def seed(apps, schema_editor):
    GradeStandard = apps.get_model("customers", "GradeStandard")
    for grade, amount, note in DEFAULTS:
        GradeStandard.objects.get_or_create(grade=grade, defaults={"min_annual_amount": amount, "note": note})


class Migration(migrations.Migration):
    dependencies = [("customers", "0003_archive_workflow")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
