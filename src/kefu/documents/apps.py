from django.apps import AppConfig


class Config(AppConfig):
    """Documents (DOC-1): policy documents (制度) in numbered versions acknowledged by the staff they are
    distributed to, notices (公告/通知) to units, annual and work plans with their items' progress, and
    improvement suggestions (合理化建议) reviewed by a manager."""

    name = "kefu.documents"
    label = "documents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # why: the schedule's job reads the models, which may be imported only once the registry is ready
        from kefu.documents.actions import policies

        policies.register_jobs()  # DOC-1 acknowledgement reminders
