from django.apps import AppConfig


class Config(AppConfig):
    name = "kefu.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        import kefu.cases.mail  # noqa: F401 — CASE-2: registers the e-mail handler
        from kefu.cases import lifecycle, lifecycle_compensation, lifecycle_handoffs  # noqa: F401 — registers the declarations
        from kefu.cases.models import CaseKind, SkillGroup
        from kefu.core.actions import track_configuration

        track_configuration(CaseKind, SkillGroup)  # kinds and groups are kept per process (issue 11)
