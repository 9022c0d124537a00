from django.apps import AppConfig


class Config(AppConfig):
    name = "kefu.engine.policy"
    label = "policy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # in ready(): these modules import models, which Django loads only after every app's config
        from kefu.core import provided
        from kefu.core.actions import track_configuration
        from kefu.engine.policy import api
        from kefu.engine.policy.models import PolicyEntry, PolicyOverride, PolicyVersion

        track_configuration(PolicyVersion, PolicyEntry, PolicyOverride)  # kept per process (issue 11)
        provided.give(policy_value=api.lookup)  # core's token lifetime (SEC-10)
