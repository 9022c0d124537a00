from django.apps import AppConfig


class Config(AppConfig):
    name = "kefu.engine.policy"
    label = "policy"
    default_auto_field = "django.db.models.BigAutoField"
