from datetime import timedelta

from django.apps import AppConfig


def sweep_timers():
    from kefu.engine.workflow import timers  # imported on first use: keeps app loading light

    return timers.sweep()


class Config(AppConfig):
    name = "kefu.engine.workflow"
    label = "workflow"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kefu.core.worker import register_sweep

        register_sweep("workflow.timers", timedelta(seconds=2))(sweep_timers)
