from datetime import timedelta

from django.apps import AppConfig


class Config(AppConfig):
    """Care of the archive as a company secret: borrowing, access requests, export, destruction,
    incidents, duplicates and merges (SEC-4…SEC-9, CUS-6, CUS-8)."""

    name = "kefu.customers.governance"
    label = "customer_governance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # why: these modules use the models, which may be imported only once the app registry is ready
        from kefu.core.locks import register_batch_clock
        from kefu.core.worker import register_sweep
        from kefu.customers.governance import actions, lifecycle, schedule  # noqa: F401 — registers them
        from kefu.customers.governance.queries import oldest_import_batch

        register_sweep("customer_governance.overdue_borrowings", timedelta(minutes=5))(
            actions.notify_overdue_borrowings
        )
        register_sweep("customer_governance.carry_out_approved", timedelta(seconds=10))(
            actions.carry_out_approved
        )
        # issue 11: an import whose runner stopped resumes from its last committed batch
        register_sweep("customer_governance.resume_imports", timedelta(minutes=1))(actions.resume_imports)
        register_batch_clock("customer_governance.import", oldest_import_batch)
