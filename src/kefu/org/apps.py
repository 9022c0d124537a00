from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "kefu.org"
    label = "org"
    verbose_name = "组织与人员"

    def ready(self):
        from kefu.org import lifecycle  # noqa: F401 — registers the delegation approval (ORG-5)
