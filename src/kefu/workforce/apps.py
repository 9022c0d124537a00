from django.apps import AppConfig


class Config(AppConfig):
    """Workforce (WFM-1, HO-1, LV-1…LV-6, ATT-1): shifts and the rota, handover, rest and leave,
    attendance — and the availability routing reads from them."""

    name = "kefu.workforce"
    label = "workforce"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kefu.workforce import jobs, labels

        jobs.register_jobs()
        labels.register()
