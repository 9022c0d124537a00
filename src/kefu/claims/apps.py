from datetime import timedelta

from django.apps import AppConfig


class Config(AppConfig):
    name = "kefu.claims"
    label = "claims"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # why: these modules use the models, which may be imported only once the app registry is ready
        from kefu.claims import actions, lifecycle, queries, schedule, timeline  # noqa: F401 — registrations
        from kefu.core.worker import register_sweep
        from kefu.customers.governance import claims as governance

        timeline.register()
        # the archive's care asks claims who holds a merge group and what claims it had (CUS-6)
        governance.provide(
            live_claim_in_merge_group=queries.live_claim_in_merge_group, claim_history=queries.claim_history
        )
        register_sweep("claims.expiry_reminders", timedelta(seconds=60))(actions.remind_due)
