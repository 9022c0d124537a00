from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "kefu.customers"
    label = "customers"
    verbose_name = "客户档案"
    default_auto_field = "django.db.models.BigAutoField"
