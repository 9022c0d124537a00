from django.apps import AppConfig


class Config(AppConfig):
    name = "kefu.engine.notifications"
    label = "notifications"
    default_auto_field = "django.db.models.BigAutoField"
