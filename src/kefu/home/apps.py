from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "kefu.home"
    label = "home"
    verbose_name = "kefu home"
