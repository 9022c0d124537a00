"""Template context for every page: the navigation the user may use, who they are acting for."""

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kefu.core import provided
from kefu.web.support import actor

# (url name, label, permission needed or None — a tuple means any of them —, icon letter, url names that
# mark it active)
NAV = [
    ("home", _("Home"), None, "⌂", ("home",)),
    ("notifications:inbox", _("Inbox"), None, "信", ("notifications",)),
    ("workflow:approvals", _("My approvals"), None, "批", ("workflow",)),
    ("customers:list", _("Customer archive"), "customer.view", "客", ("customers",)),
    ("org:units", _("Organisation"), "org.view", "组", ("org:units", "org:unit", "org:site")),
    ("org:employees", _("Employees"), "org.view", "人", ("org:employee",)),
    ("org:roles", _("Roles"), "org.view", "角", ("org:role",)),
    ("org:delegations", _("Delegations"), None, "委", ("org:delegation",)),
    ("claims:mine", _("My claims"), "claim.register", "报", ("claims:mine", "claims:detail")),
    ("claims:registers", _("Claim registers"), "claim.manage", "簿", ("claims:register", "claims:dispute")),
    ("discipline:ledger", _("Discipline ledger"), "discipline.view", "奖", ("discipline",)),
    ("cases:queue", _("Cases"), "case.view", "单", ("cases:queue", "cases:new", "cases:case")),
    ("cases:team", _("Team cases"), "case.manage", "督", ("cases:team", "cases:config")),
    ("knowledge:list", _("Knowledge base"), "kb.view", "知", ("knowledge",)),
    ("audit", _("Audit log"), "audit.view", "审", ("audit",)),
    ("mail:index", _("E-mail in and out"), "audit.view", "邮", ("mail",)),
    ("calendars:index", _("Work calendars"), "calendar.manage", "历", ("calendars",)),
    (
        "policy:list",
        _("Policies and parameters"),
        None,
        "制",
        ("policy:list", "policy:edit", "policy:override"),
    ),
    (
        "customer_governance:index",
        _("Archive management"),
        (
            "customer.borrow",
            "customer.export",
            "customer.import",
            "customer.destroy",
            "customer.merge",
            "security.incident",
        ),
        "档",
        ("customer_governance",),
    ),
    ("profile", _("My profile"), None, "我", ("profile", "password_change", "act_for")),
]


def _active(request, prefixes) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    name = match.view_name or ""
    return any(name == p or name.startswith(p + "_") or name.startswith(p + ":") for p in prefixes)


def navigation(request):
    language = get_language() or "zh-hans"
    context = {"current_language": language, "nav_items": [], "acting_for": None}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    me = actor(request)
    provided.prime(
        me, {p for item in NAV if item[2] for p in (item[2] if isinstance(item[2], tuple) else (item[2],))}
    )
    for url_name, label, permission, icon, prefixes in NAV:
        needed = permission if isinstance(permission, tuple) else (permission,)
        if permission is not None and not any(provided.grants(me, p) for p in needed):
            continue
        context["nav_items"].append(
            {
                "url": reverse(url_name),
                "label": label,
                "icon": icon,
                "active": _active(request, (url_name, *prefixes)),
            }
        )
    if me.on_behalf_of is not None:
        delegator = provided.employee_of(me.on_behalf_of)
        context["acting_for"] = delegator.name if delegator else me.on_behalf_of.get_username()
    context["me_employee"] = provided.employee_of(user)
    return context
