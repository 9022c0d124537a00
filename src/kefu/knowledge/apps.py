from django.apps import AppConfig


class Config(AppConfig):
    name = "kefu.knowledge"
    label = "knowledge"
    default_auto_field = "django.db.models.BigAutoField"
