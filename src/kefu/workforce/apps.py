from django.apps import AppConfig


class Config(AppConfig):
    """Workforce (WFM-1, HO-1, LV-1…LV-6, ATT-1): shifts and the rota, handover, rest and leave,
    attendance — and the availability routing reads from them."""

    name = "kefu.workforce"
    label = "workforce"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # why: these modules use the models, which may be imported only once the app registry is ready
        from datetime import timedelta

        from kefu.cases.queries import routing
        from kefu.core.worker import register_sweep
        from kefu.workforce import jobs, labels, lifecycle_leave  # noqa: F401  the leave approval chain
        from kefu.workforce.actions import leave
        from kefu.workforce.queries import availability

        jobs.register_jobs()
        labels.register()
        # LV-5: routing reads rota + approved leave (cases never imports workforce)
        routing.register_unavailable("workforce", availability.unavailable_q)
        routing.register_absent("workforce", availability.on_leave)
        # LV-5: approved leave about to start hands its deadline-bearing work over, once
        register_sweep("workforce.leave_handover", timedelta(minutes=5), again=bool)(leave.hand_over_due)
