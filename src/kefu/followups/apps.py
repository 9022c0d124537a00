from django.apps import AppConfig


class Config(AppConfig):
    name = "kefu.followups"
    label = "followups"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kefu.followups import jobs, labels, lifecycle, timeline  # noqa: F401  the revisit task's timers

        jobs.register_schedules()
        labels.register()
        timeline.register()  # the customer's revisits on their timeline (CUS-9)
