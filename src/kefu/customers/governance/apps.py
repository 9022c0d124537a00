from datetime import timedelta

from django.apps import AppConfig


def sweep_overdue():
    from kefu.customers.governance import actions

    return actions.notify_overdue_borrowings()


def sweep_imports():
    from kefu.customers.governance import actions

    return actions.resume_imports()


def sweep_approved():
    from kefu.customers.governance import actions

    return actions.carry_out_approved()


class Config(AppConfig):
    """Care of the archive as a company secret: borrowing, access requests, export, destruction,
    incidents, duplicates and merges (SEC-4…SEC-9, CUS-6, CUS-8)."""

    name = "kefu.customers.governance"
    label = "customer_governance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kefu.core.locks import register_batch_clock
        from kefu.core.worker import register_sweep
        from kefu.customers.governance import lifecycle, schedule, timeline  # noqa: F401 — registers them
        from kefu.customers.governance.queries import oldest_import_batch

        timeline.register()

        register_sweep("customer_governance.overdue_borrowings", timedelta(minutes=5))(sweep_overdue)
        register_sweep("customer_governance.carry_out_approved", timedelta(seconds=10))(sweep_approved)
        # issue 11: an import whose runner stopped resumes from its last committed batch
        register_sweep("customer_governance.resume_imports", timedelta(minutes=1))(sweep_imports)
        register_batch_clock("customer_governance.import", oldest_import_batch)
