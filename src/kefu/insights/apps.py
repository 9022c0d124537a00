from django.apps import AppConfig


class Config(AppConfig):
    """Insights (KPI-1, RPT-1): the KPIs from daily facts kept by the worker, dashboards, work
    reports and the monthly service report."""

    name = "kefu.insights"
    label = "insights"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # why: these modules use the models, which may be imported only once the app registry is ready
        from kefu.insights.actions import reports  # RPT-1

        reports.register()  # RPT-1: sweeps and decision labels
