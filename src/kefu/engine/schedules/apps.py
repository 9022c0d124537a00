from datetime import timedelta

from django.apps import AppConfig


class Config(AppConfig):
    name = "kefu.engine.schedules"
    label = "schedules"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # why: what ready() imports uses the models, importable only once every app is loaded
        from kefu.core.worker import register_sweep
        from kefu.engine.schedules import actions

        register_sweep("schedules.sweep", timedelta(seconds=60))(actions.sweep)
