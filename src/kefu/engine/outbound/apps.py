from datetime import timedelta

from django.apps import AppConfig


class Config(AppConfig):
    name = "kefu.engine.outbound"
    label = "outbound"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # why: the sweep uses the models, importable only once every app is loaded
        from kefu.core.worker import register_sweep
        from kefu.engine.outbound import actions, staff_texts, timeline  # noqa: F401 — registers the staff "sms" channel

        timeline.register()  # the messages sent to the customer on their timeline (CUS-9)

        register_sweep("outbound.send", timedelta(seconds=5))(actions.send_due)
