from django.apps import AppConfig


class Config(AppConfig):
    """Outsourced customer-service vendor filings (VEN-1; seed 000 中通外包客服备案流程): a vendor's filing with
    its materials, review with supplement requests, the filing certificate, periodic reports and inspections."""

    name = "kefu.vendors"
    label = "vendors"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # why: these modules use the models, which may be imported only once the app registry is ready
        from kefu.vendors import jobs, labels

        jobs.register_jobs()  # VEN-1: the supplement and report clocks, the daily reminders
        labels.register()
