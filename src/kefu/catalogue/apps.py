from django.apps import AppConfig


class Config(AppConfig):
    """The service and price catalogue (PRC-1; seed 004: "不准乱收费", "不得擅自调整服务项目和服务价格"):
    service items and prices per subsidiary under change control, and the charges on a case, which come
    only from the catalogue at the version in effect."""

    name = "kefu.catalogue"
    label = "catalogue"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # why: these modules use the models, which may be imported only once the app registry is ready
        from kefu.cases.views import links as case_links
        from kefu.catalogue.views import charges as charge_views

        case_links.register(charge_views.case_link)  # PRC-1: 收费 on the case page
