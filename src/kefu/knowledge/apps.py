from django.apps import AppConfig

from kefu.knowledge import digest


class Config(AppConfig):
    name = "kefu.knowledge"
    label = "knowledge"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        digest.register()  # KB-1 weekly digest schedule
