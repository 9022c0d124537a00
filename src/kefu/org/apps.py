from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "kefu.org"
    label = "org"
    verbose_name = "组织与人员"

    def ready(self):
        from kefu.core.actions import track_configuration
        from kefu.org import lifecycle  # noqa: F401 — registers the delegation approval (ORG-5)
        from kefu.org.models import Role, RoleAssignment, Unit

        track_configuration(
            Unit, Role, RoleAssignment
        )  # grants and subsidiaries are kept per process (issue 11)
