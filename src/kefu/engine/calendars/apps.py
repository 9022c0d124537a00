from django.apps import AppConfig


class Config(AppConfig):
    name = "kefu.engine.calendars"
    label = "calendars"
    default_auto_field = "django.db.models.BigAutoField"
