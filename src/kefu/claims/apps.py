from datetime import timedelta

from django.apps import AppConfig


def sweep_reminders():
    from kefu.claims import actions

    return actions.remind_due()


class Config(AppConfig):
    name = "kefu.claims"
    label = "claims"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kefu.claims import lifecycle, schedule, timeline  # noqa: F401 — registers the declarations
        from kefu.core.worker import register_sweep

        timeline.register()
        register_sweep("claims.expiry_reminders", timedelta(seconds=60))(sweep_reminders)
