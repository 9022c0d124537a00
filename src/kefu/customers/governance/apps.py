from django.apps import AppConfig


class Config(AppConfig):
    """Care of the archive as a company secret: borrowing, access requests, export, destruction,
    incidents, duplicates and merges (SEC-4…SEC-9, CUS-6, CUS-8)."""

    name = "kefu.customers.governance"
    label = "customer_governance"
    default_auto_field = "django.db.models.BigAutoField"
