from datetime import timedelta

from django.apps import AppConfig


class Config(AppConfig):
    name = "kefu.engine.notifications"
    label = "notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # why: what ready() imports uses the models, importable only once every app is loaded
        from kefu.core.worker import register_sweep
        from kefu.engine.notifications import actions, channels  # noqa: F401 — registers the e-mail channel

        register_sweep("notifications.deliver", timedelta(seconds=5))(actions.deliver_due)
