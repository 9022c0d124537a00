from datetime import timedelta

from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "kefu.customers"
    label = "customers"
    verbose_name = "客户档案"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # why: these modules use the models, which may be imported only once the app registry is ready
        from kefu.core.worker import register_sweep
        from kefu.customers import entries, jobs, lifecycle  # noqa: F401 — registrations
        from kefu.customers.actions import confidentiality

        entries.register()  # the archive's own timeline sources (CUS-9)
        register_sweep("customers.declassify", timedelta(hours=1))(confidentiality.declassify_due)
        jobs.register_schedules()
