from django.apps import AppConfig


class Config(AppConfig):
    name = "kefu.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # why: models may be imported only once the app registry is ready (Django's AppConfig rule)
        from kefu.cases import lifecycle, lifecycle_compensation, lifecycle_handoffs, timeline  # noqa: F401 — registers the declarations
        from kefu.cases.actions import mail_in
        from kefu.cases.models import CaseKind, SkillGroup
        from kefu.cases.queries import live
        from kefu.core.actions import track_configuration
        from kefu.engine.mail.api import register_handler
        from kefu.engine.notifications.api import watch

        register_handler("cases", mail_in.handle_inbound)  # CASE-2: mail no address claims becomes a case
        watch("cases.queue", live.queue_version)  # 我的工单 refreshes by itself (issue 13)
        timeline.register()  # the customer's cases on their timeline (CUS-9)
        track_configuration(CaseKind, SkillGroup)  # kinds and groups are kept per process (issue 11)
        from kefu.cases.actions import hardship

        hardship.register_jobs()  # HRD-1: reminders to call a customer who reported hardship
