from django.apps import AppConfig


class Config(AppConfig):
    """Insights (KPI-1, RPT-1): the KPIs from daily facts kept by the worker, dashboards, work
    reports and the monthly service report."""

    name = "kefu.insights"
    label = "insights"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # why: these modules use the models, which may be imported only once the app registry is ready
        from datetime import timedelta

        from kefu.core.worker import register_sweep
        from kefu.insights.actions import kpis, reports
        from kefu.insights.queries import kpis as kpi_queries
        from kefu.insights.queries import reports as report_queries

        # KPI-1: the daily facts follow the sealed audit feed; again at once while a full batch came
        register_sweep("insights.kpi_facts", timedelta(seconds=30), again=lambda n: n >= kpis.BATCH)(
            kpis.sweep
        )
        reports.register()  # RPT-1: sweeps and decision labels
        # KPI-1: reporting timeliness is read from the work reports
        kpi_queries.register_source(
            "reporting_timeliness", report_queries.kpi_tally, per_agent=report_queries.kpi_by_agent
        )
