from datetime import timedelta

from django.apps import AppConfig


class Config(AppConfig):
    name = "kefu.followups"
    label = "followups"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # why: these modules use the models, which may be imported only once the app registry is ready
        from kefu.core.worker import register_sweep
        from kefu.followups import jobs, labels, lifecycle, lifecycle_gifts, timeline  # noqa: F401  timers, chains
        from kefu.followups.actions import campaigns, greetings

        jobs.register_schedules()
        labels.register()
        timeline.register()  # the customer's revisits on their timeline (CUS-9)
        # CARE-1: running greeting campaigns go out batch by batch from their checkpoint
        register_sweep("followups.care_batches", timedelta(minutes=1), again=bool)(greetings.sweep)
        # FUP-1: a large revisit campaign's batches after the first, from its checkpoint
        register_sweep("followups.campaign_batches", timedelta(minutes=1), again=bool)(campaigns.sweep)
