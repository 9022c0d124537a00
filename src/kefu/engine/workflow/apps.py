from django.apps import AppConfig


class Config(AppConfig):
    name = "kefu.engine.workflow"
    label = "workflow"
    default_auto_field = "django.db.models.BigAutoField"
