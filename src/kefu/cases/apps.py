from django.apps import AppConfig


class Config(AppConfig):
    name = "kefu.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # why: models may be imported only once the app registry is ready (Django's AppConfig rule)
        from kefu.cases import lifecycle, lifecycle_compensation, lifecycle_handoffs  # noqa: F401 — registers the declarations
        from kefu.cases.actions import mail_in
        from kefu.cases.models import CaseKind, SkillGroup
        from kefu.core.actions import track_configuration
        from kefu.engine.mail.api import register_handler

        register_handler("cases", mail_in.handle_inbound)  # CASE-2: mail no address claims becomes a case
        track_configuration(CaseKind, SkillGroup)  # kinds and groups are kept per process (issue 11)
