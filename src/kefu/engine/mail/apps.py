from django.apps import AppConfig


class Config(AppConfig):
    name = "kefu.engine.mail"
    label = "mail"
    default_auto_field = "django.db.models.BigAutoField"
