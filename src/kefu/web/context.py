"""Template context for every page: the navigation the user may use, who they are acting for."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kefu.core import provided
from kefu.web.support import actor


@dataclass(frozen=True)
class NavItem:
    """One link of the navigation. `needs`: the permissions of which any one shows it (none: everyone);
    `reach`: how far the grant must reach — "any", "beyond_own" (a team or wider: the org directory is
    a supervisor's tool, not an agent's) or "group" (the group-wide pages, which answer 403 below it)."""

    url_name: str
    label: object
    needs: tuple[str, ...]
    icon: str
    active_for: tuple[str, ...]
    reach: str = "any"


# Work first (工单, 报备, 消息): what a front-line agent opens all day comes before the directory and settings.
NAV = [
    NavItem("home", _("Home"), (), "⌂", ("home",)),
    NavItem("cases:queue", _("Cases"), ("case.view",), "单", ("cases:queue", "cases:new", "cases:case")),
    NavItem("claims:mine", _("My claims"), ("claim.register",), "报", ("claims:mine", "claims:detail")),
    NavItem("notifications:inbox", _("Inbox"), (), "信", ("notifications",)),
    NavItem(
        "cases:hardship_list",
        _("Hardship reports"),
        ("case.handle",),
        "逾",
        ("cases:hardship_list", "cases:hardship"),
    ),  # HRD-1
    NavItem(
        "followups:queue",
        _("My revisits"),
        ("revisit.handle",),
        "访",
        (
            "followups:queue",
            "followups:task",
            "followups:phone_survey",
            "followups:campaigns",
            "followups:campaign",
            "followups:month",
            "followups:plans",
        ),
    ),
    NavItem("followups:care_greetings", _("Customer care"), ("care.view",), "关", ("followups:care",)),
    NavItem(
        "workforce:rotas",
        _("Rotas"),
        ("rota.view",),
        "班",
        # not the whole app: 休息与请假, 考勤 and 交接班 have their own entries
        (
            "workforce:rota",
            "workforce:rotas",
            "workforce:team",
            "workforce:calendar",
            "workforce:mine",
            "workforce:change",
            "workforce:feed",
        ),
    ),
    NavItem("workflow:approvals", _("My approvals"), (), "批", ("workflow",)),
    NavItem("workforce:leave_mine", _("Rest and leave"), (), "休", ("workforce:leave",)),
    NavItem("workforce:attendance", _("Attendance"), (), "勤", ("workforce:attendance",)),
    NavItem("workforce:handovers", _("Handovers"), (), "交", ("workforce:handover",)),
    NavItem("quality:training", _("Training"), (), "训", ("quality:training", "quality:course")),  # TRN-1
    NavItem(
        "quality:qcgroups",
        _("QC groups"),
        ("qc.view", "qc.manage", "qc.register"),
        "圈",
        ("quality:qcgroup",),
    ),  # QC-1
    NavItem(
        "insights:reports_mine", _("My work reports"), ("report.submit",), "日", ("insights:report",)
    ),  # RPT-1
    NavItem(
        "insights:reports_team", _("Team work reports"), ("report.review",), "汇", (), reach="beyond_own"
    ),  # RPT-1
    NavItem(
        "insights:service_reports",
        _("Monthly service reports"),
        ("report.review",),
        "月",
        ("insights:service_report",),
        reach="beyond_own",
    ),  # RPT-1
    NavItem("customers:list", _("Customer archive"), ("customer.view",), "客", ("customers",)),
    NavItem("knowledge:list", _("Knowledge base"), ("kb.view",), "知", ("knowledge",)),
    NavItem(
        "cases:team", _("Team cases"), ("case.manage", "case.oversee"), "督", ("cases:team", "cases:config")
    ),
    NavItem(
        "insights:today", _("Today's dashboard"), ("case.manage", "case.oversee"), "今", ("insights:today",)
    ),
    NavItem(
        "followups:satisfaction",
        _("Satisfaction"),
        ("case.view",),
        "满",
        ("followups:satisfaction", "followups:questionnaires"),
        reach="beyond_own",
    ),
    NavItem("insights:kpis", _("KPIs"), ("kpi.view",), "标", ("insights:kpis", "insights:kpi_records")),
    NavItem("insights:card_mine", _("My performance"), ("kpi.view",), "绩", ("insights:card",)),  # issue 16
    NavItem(
        "insights:month",
        _("Monthly dashboard"),
        ("kpi.view",),
        "本",
        ("insights:month", "insights:month_cases"),
        reach="beyond_own",
    ),
    NavItem(
        "claims:registers",
        _("Claim registers"),
        ("claim.manage",),
        "簿",
        ("claims:register", "claims:dispute"),
    ),
    NavItem(  # QA-1
        "quality:workbench",
        _("Inspection workbench"),
        ("quality.inspect",),
        "质",
        ("quality:workbench", "quality:inspection", "quality:calibration"),
    ),
    NavItem("quality:mine", _("My inspection results"), ("quality.view",), "评", ("quality:mine",)),  # QA-1
    NavItem(  # QA-1
        "quality:scorecards",
        _("Scorecards and sampling"),
        ("quality.configure",),
        "表",
        ("quality:scorecards",),
    ),
    NavItem(  # APR-1
        "quality:appraisal_rounds",
        _("Appraisal rounds"),
        ("appraisal.view",),
        "考",
        ("quality:appraisal_rounds", "quality:appraisal_round"),
        reach="beyond_own",
    ),
    NavItem(  # APR-1
        "quality:my_appraisals",
        _("My appraisals"),
        ("appraisal.view",),
        "绩",
        ("quality:my_appraisals", "quality:appraisal_result"),
    ),
    NavItem(
        "quality:coaching", _("Coaching plans"), ("appraisal.view",), "辅", ("quality:coaching",)
    ),  # APR-1
    NavItem(  # EMG-4, EMG-5: any staff reports an incident of their unit
        "emergency:incidents",
        _("Incidents"),
        (),
        "事",
        ("emergency:incidents", "emergency:incident_new", "emergency:incident"),
    ),
    NavItem(  # EMG-1, EMG-6: every employee reads the runbook cards distributed to them
        "emergency:plans",
        _("Emergency plans"),
        (),
        "急",
        ("emergency:plans", "emergency:plan", "emergency:templates"),
    ),
    NavItem(  # EMG-2, EMG-3
        "emergency:bodies",
        _("Emergency bodies"),
        ("emergency.view", "emergency.body.manage"),
        "应",
        ("emergency:bodies", "emergency:levels"),
    ),
    NavItem(  # EMG-5
        "emergency:surges",
        _("Surge alerts"),
        ("emergency.command",),
        "警",
        ("emergency:surges", "emergency:surge"),
    ),
    NavItem(  # DRL-1
        "emergency:drills",
        _("Emergency drills"),
        ("emergency.view", "emergency.plan.manage"),
        "演",
        ("emergency:drills", "emergency:drill", "emergency:drill_summary"),
    ),
    NavItem(
        "emergency:resources",
        _("Emergency resources"),
        ("resources.view", "resources.manage"),
        "物",
        ("emergency:resource",),
    ),  # RES-1
    NavItem(
        "emergency:bulletins",
        _("Weather bulletin"),
        ("weather.view", "weather.publish"),
        "天",
        ("emergency:bulletin",),
    ),  # WX-1
    NavItem(
        "emergency:quotes", _("Fee quotes"), ("fees.view", "fees.quote"), "费", ("emergency:quote",)
    ),  # FEE-1
    NavItem(
        "vendors:filings",
        _("Outsourced vendor filings"),
        ("vendors.view", "vendors.manage", "vendors.review"),
        "包",
        ("vendors:filing",),
    ),  # VEN-1
    NavItem(
        "catalogue:catalogue",
        _("Service and price catalogue"),
        ("catalogue.view", "catalogue.propose", "catalogue.approve"),
        "价",
        ("catalogue:",),
    ),  # PRC-1
    NavItem(
        "orders:orders",
        _("Orders"),
        ("order.view", "order.create", "order.release", "order.ship", "order.return"),
        "单",
        ("orders:",),
    ),  # ORD-1
    NavItem("discipline:ledger", _("Discipline ledger"), ("discipline.view",), "奖", ("discipline",)),
    NavItem(  # DOC-1: every employee reads and acknowledges the policies distributed to them, and notices
        "documents:policies",
        _("Policies and notices"),
        (),
        "规",
        ("documents:policies", "documents:policy", "documents:notices", "documents:notice"),
    ),
    NavItem(  # DOC-1: annual and work plans
        "documents:plans",
        _("Work plans"),
        ("documents.view", "documents.manage"),
        "划",
        ("documents:plans", "documents:plan"),
    ),
    NavItem(  # DOC-1: any staff member makes a suggestion
        "documents:suggestions",
        _("Suggestions"),
        (),
        "议",
        ("documents:suggestions", "documents:suggestion"),
    ),
    NavItem(
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
    NavItem(
        "org:units",
        _("Organisation"),
        ("org.view",),
        "组",
        ("org:units", "org:unit", "org:site"),
        reach="beyond_own",
    ),
    NavItem("org:employees", _("Employees"), ("org.view",), "人", ("org:employee",), reach="beyond_own"),
    NavItem("org:roles", _("Roles"), ("org.view",), "角", ("org:role",), reach="beyond_own"),
    NavItem("org:delegations", _("Delegations"), (), "委", ("org:delegation",)),
    NavItem("audit", _("Audit log"), ("audit.view",), "审", ("audit",)),
    NavItem("mail:index", _("E-mail in and out"), ("audit.view",), "邮", ("mail",), reach="group"),
    NavItem("calendars:index", _("Work calendars"), ("calendar.manage",), "历", ("calendars",)),
    NavItem(
        "policy:list",
        _("Policies and parameters"),
        (),
        "制",
        ("policy:list", "policy:edit", "policy:override"),
    ),
    NavItem("profile", _("My profile"), (), "我", ("profile", "password_change", "act_for")),
]


def _reaches(grants, reach: str) -> bool:
    if reach == "beyond_own":
        return any(grant.scope != "own" for grant in grants)
    if reach == "group":
        return any(grant.scope == "group" for grant in grants)
    return bool(grants)


def shown(me, item: NavItem) -> bool:
    """Whether the navigation offers `item` to `me`: only links that will not answer 403."""
    return not item.needs or any(_reaches(provided.grants(me, code), item.reach) for code in item.needs)


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
    provided.prime(me, {code for item in NAV for code in item.needs})
    for item in NAV:
        if not shown(me, item):
            continue
        context["nav_items"].append(
            {
                "url": reverse(item.url_name),
                "label": item.label,
                "icon": item.icon,
                "active": _active(request, (item.url_name, *item.active_for)),
            }
        )
    if me.on_behalf_of is not None:
        delegator = provided.employee_of(me.on_behalf_of)
        context["acting_for"] = delegator.name if delegator else me.on_behalf_of.get_username()
    context["me_employee"] = provided.employee_of(user)
    return context
