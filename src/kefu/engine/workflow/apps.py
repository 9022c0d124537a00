from datetime import timedelta

from django.apps import AppConfig


class Config(AppConfig):
    name = "kefu.engine.workflow"
    label = "workflow"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # in ready(): the actions import models, which Django loads only after every app's config
        from kefu.core.worker import register_sweep
        from kefu.engine.workflow.actions import deadlines

        register_sweep("workflow.timers", timedelta(seconds=2))(deadlines.sweep)
