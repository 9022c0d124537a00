from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "kefu.org"
    label = "org"
    verbose_name = "组织与人员"

    def ready(self):
        # in ready(): these modules import models, which Django loads only after every app's config
        from kefu.core import provided
        from kefu.core.actions import track_configuration
        from kefu.org import access, actions, lifecycle  # noqa: F401 — lifecycle registers the delegation approval (ORG-5)
        from kefu.org.models import Role, RoleAssignment, Unit

        track_configuration(
            Unit, Role, RoleAssignment
        )  # grants and subsidiaries are kept per process (issue 11)
        provided.give(  # core and the web foundation build on org
            request_actor=actions.request_actor,
            grants=access.grants,
            prime=access.prime,
            employee_of=access.employee_of,
        )
