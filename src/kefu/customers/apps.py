from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "kefu.customers"
    label = "customers"
    verbose_name = "客户档案"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from datetime import timedelta

        from kefu.core.worker import register_sweep
        from kefu.customers import actions_confidentiality, jobs, lifecycle, timeline  # noqa: F401 — registrations

        register_sweep("customers.declassify", timedelta(hours=1))(actions_confidentiality.declassify_due)
        jobs.register_schedules()
