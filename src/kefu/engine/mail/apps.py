from datetime import timedelta

from django.apps import AppConfig


def sweep_dispatch():
    from kefu.engine.mail import actions_inbound

    return actions_inbound.dispatch_due()


def sweep_send():
    from kefu.engine.mail import actions_outbound

    return actions_outbound.send_due()


class Config(AppConfig):
    name = "kefu.engine.mail"
    label = "mail"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kefu.core.worker import register_sweep
        from kefu.engine.mail import schedule  # noqa: F401 — registers the daily purge (SEC-1)

        register_sweep("mail.dispatch", timedelta(seconds=5))(sweep_dispatch)
        register_sweep("mail.send", timedelta(seconds=5))(sweep_send)
