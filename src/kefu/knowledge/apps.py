from django.apps import AppConfig


class Config(AppConfig):
    name = "kefu.knowledge"
    label = "knowledge"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kefu.knowledge import digest

        digest.register()  # KB-1 weekly digest schedule
