from django.apps import AppConfig


class Config(AppConfig):
    name = "kefu.engine.policy"
    label = "policy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kefu.core.actions import track_configuration
        from kefu.engine.policy.models import PolicyEntry, PolicyOverride, PolicyVersion

        track_configuration(PolicyVersion, PolicyEntry, PolicyOverride)  # kept per process (issue 11)
