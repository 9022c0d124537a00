from datetime import timedelta

from django.apps import AppConfig


class Config(AppConfig):
    name = "kefu.engine.mail"
    label = "mail"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # why: these modules use the models, importable only once every app is loaded
        from kefu.core.worker import register_sweep
        from kefu.engine.mail import (
            actions_inbound,
            actions_outbound,
            schedule,  # noqa: F401 — registers the daily purge (SEC-1)
        )

        register_sweep("mail.dispatch", timedelta(seconds=5))(actions_inbound.dispatch_due)
        register_sweep("mail.send", timedelta(seconds=5))(actions_outbound.send_due)
