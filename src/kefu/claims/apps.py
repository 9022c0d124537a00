from django.apps import AppConfig


class Config(AppConfig):
    name = "kefu.claims"
    label = "claims"
    default_auto_field = "django.db.models.BigAutoField"
