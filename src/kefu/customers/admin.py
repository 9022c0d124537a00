from django.contrib import admin

from kefu.customers.models import GradeStandard


@admin.register(GradeStandard)
class GradeStandardAdmin(admin.ModelAdmin):
    """CUS-2 客户分类管理标准: administrators set the annual-amount threshold of each grade."""

    list_display = ("grade", "min_annual_amount", "note")
