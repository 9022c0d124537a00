from django.apps import AppConfig


class ToyConfig(AppConfig):
    name = "tests.toy"
    label = "toy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from tests.toy import lifecycle  # noqa: F401 — registers the declarations
