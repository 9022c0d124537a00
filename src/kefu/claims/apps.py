from django.apps import AppConfig


class Config(AppConfig):
    name = "kefu.claims"
    label = "claims"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kefu.claims import lifecycle, schedule, timeline  # noqa: F401 — registers the declarations

        timeline.register()
