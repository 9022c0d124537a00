from django.apps import AppConfig


class Config(AppConfig):
    """Emergencies (EMG-1…EMG-6, DRL-1, RES-1, WX-1, FEE-1; seeds 002 客服应急预案, 003 客户服务应急预案 and its
    取费标准): plans, emergency bodies, incidents timed from the first report, drills, resources, the daily
    weather bulletin and fee quotes."""

    name = "kefu.emergency"
    label = "emergency"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # why: these modules use the models, which may be imported only once the app registry is ready
        from kefu.cases.views import links as case_links
        from kefu.emergency import jobs, labels, schedules
        from kefu.emergency.actions import plans as plan_actions
        from kefu.emergency.queries import drills as drill_queries
        from kefu.emergency.queries import incidents as incident_queries
        from kefu.emergency.views import incidents as incident_views

        plan_actions.register_jobs()  # EMG-1 acknowledgement reminders
        jobs.register_jobs()  # EMG-5 the complaint-surge detector
        labels.register()
        case_links.register(incident_views.case_link)  # EMG-5: 升级为突发事件 on the case page
        drill_queries.register_summary_section(incident_queries.summary_section)  # DRL-1 annual summary
        schedules.register_jobs()  # RES-1, WX-1: the daily resource check and the morning weather bulletin
