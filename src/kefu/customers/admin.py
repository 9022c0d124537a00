from django.contrib import admin

from kefu.customers.actions import grades
from kefu.customers.models import GradeStandard
from kefu.web.support import actor


@admin.register(GradeStandard)
class GradeStandardAdmin(admin.ModelAdmin):
    """CUS-2 客户分类管理标准: administrators set the annual-amount threshold of each grade. Every
    change writes through the archive's actions, so it leaves an audit row."""

    list_display = ("grade", "min_annual_amount", "note")

    def save_model(self, request, obj, form, change):
        grades.save_grade_standard(actor(request), obj)

    def delete_model(self, request, obj):
        grades.delete_grade_standards(actor(request), [obj])

    def delete_queryset(self, request, queryset):
        grades.delete_grade_standards(actor(request), list(queryset))
