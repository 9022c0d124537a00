from django.apps import AppConfig


class Config(AppConfig):
    name = "kefu.engine.schedules"
    label = "schedules"
    default_auto_field = "django.db.models.BigAutoField"
