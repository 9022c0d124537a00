"""Posts and roles every installation starts with (ORG-2, ORG-3, ORG-4). Plain data, used by a migration."""

# (code, 岗位名称) — the posts named in SPEC ORG-2.
POSTS = [
    ("general_manager", "总经理"),
    ("deputy_general_manager", "副总经理"),
    ("cs_manager", "客服部经理"),
    ("deputy_manager", "副经理"),
    ("cs_supervisor", "客服主管"),
    ("cs_specialist", "客服专员"),
    ("cs_assistant", "客服助理"),
    ("qa_inspector", "质检员"),
    ("complaint_officer", "投诉专员"),
    ("revisit_officer", "回访专员"),
    ("scheduler", "排班管理员"),
    ("site_lead", "案场负责人"),
    ("hr_admin", "行政/人力行政部"),
    ("sales", "销售"),
    ("marketing", "市场"),
    ("finance", "财务"),
    ("tech_support", "技术支持"),
    ("info_officer", "信息员"),
    ("info_supervisor", "客户信息主管"),
]

VIEW = ["org.view"]
MANAGER = ["approval.decide", "audit.view", "delegation.manage", "org.view"]

# (code, 名称, scope, supervisory_only, permissions, description)
ROLES = [
    (
        "admin",
        "系统管理员",
        "group",
        False,
        [
            "approval.decide",
            "audit.view",
            "calendar.manage",
            "delegation.manage",
            "org.manage",
            "org.view",
            "policy.manage",
            "role.manage",
        ],
        "维护组织、角色与系统配置",
    ),
    ("executive", "集团领导", "group", False, MANAGER, "总经理、副总经理：全集团范围"),
    ("cs_manager", "客服经理", "subsidiary", False, MANAGER, "客服部经理、副经理：本公司范围"),
    (
        "cs_supervisor",
        "客服主管",
        "department",
        False,
        ["approval.decide", "audit.view", "org.view"],
        "本部门的客服主管",
    ),
    ("agent", "客服专员", "own", False, VIEW, "一线客服：本人记录"),
    ("assistant", "客服助理", "own", False, VIEW, "客服助理：本人记录"),
    ("qa_inspector", "质检员", "department", False, VIEW, "质检组：本部门"),
    ("complaint_officer", "投诉专员", "department", False, VIEW, "投诉处理：本部门"),
    ("revisit_officer", "回访专员", "department", False, VIEW, "回访：本部门"),
    ("scheduler", "排班管理员", "department", False, VIEW, "排班：本部门"),
    ("site_lead", "案场负责人", "team", False, ["approval.decide", "org.view"], "案场：本组"),
    (
        "hr_admin",
        "人力行政",
        "subsidiary",
        False,
        ["approval.decide", "audit.view", "delegation.manage", "org.manage", "org.view"],
        "行政部/人力行政部：人员与登记",
    ),
    ("sales", "销售", "own", False, VIEW, "销售：本人客户"),
    ("marketing", "市场", "own", False, VIEW, "市场：本人记录"),
    ("finance", "财务", "subsidiary", False, VIEW, "财务：本公司"),
    ("tech_support", "技术支持", "department", False, VIEW, "技术支持：本部门"),
    ("info_officer", "信息员", "department", False, VIEW, "信息员：核实资料变更"),
    (
        "info_supervisor",
        "客户信息主管",
        "subsidiary",
        False,
        ["approval.decide", "audit.view", "org.view"],
        "客户信息主管：档案管理",
    ),
    (
        "inspector",
        "督导",
        "group",
        True,
        ["org.view", "audit.view"],
        "只有督导权没有行政权：可查看、评论，不能办理或审批（ORG-4）",
    ),
]


# Permissions of later modules, per built-in role. Kept apart from ROLES so that a module's migration
# can grant its own permissions to installations whose roles already exist (`sync_permissions`).
MODULE_PERMISSIONS = {
    "admin": [
        "customer.view",
        "customer.view_full",
        "customer.manage",
        "customer.verify",
        "customer.export",
        "customer.import",
        "customer.borrow",
        "customer.destroy",
        "customer.merge",
        "security.incident",
        "claim.register",
        "claim.view_owner",
        "claim.manage",
        "claim.rule",
        "discipline.view",
        "discipline.confirm",
        "case.view",
        "case.comment",
        "case.handle",
        "case.manage",
        "case.compensate",
        "case.configure",
        "kb.view",
        "kb.edit",
        "revisit.view",
        "revisit.handle",
        "revisit.configure",
        "care.view",
        "care.manage",
        "care.approve",
        "rota.view",
        "rota.manage",
        "attendance.view",
        "attendance.manage",
        "kpi.view",
        "report.submit",
        "report.review",
        "report.manage",
    ],
    "executive": [
        "customer.view",
        "customer.view_full",
        "customer.borrow",
        "customer.destroy",
        "customer.merge",
        "customer.export",
        "claim.view_owner",
        "discipline.view",
        "case.view",
        "case.comment",
        "case.compensate",
        "case.oversee",  # 总经理 and 集团领导 read every team view (issue 13); assigning stays case.manage
        "kb.view",
        "revisit.view",
        "care.view",
        "kpi.view",
        "report.review",
    ],
    "cs_manager": [
        "customer.view",
        "customer.view_full",
        "customer.manage",
        "customer.borrow",
        "customer.destroy",
        "customer.merge",
        "customer.export",
        "claim.view_owner",
        "discipline.view",
        "case.view",
        "case.comment",
        "case.handle",
        "case.manage",
        "case.compensate",
        "case.configure",
        "kb.view",
        "kb.edit",
        "revisit.view",
        "revisit.handle",
        "revisit.configure",
        "care.view",
        "care.manage",
        "care.approve",
        "rota.view",
        "attendance.view",
        "attendance.manage",
        "kpi.view",
        "report.submit",
        "report.review",
        "report.manage",
    ],
    "cs_supervisor": [
        "customer.view",
        "customer.manage",
        "claim.view_owner",
        "case.view",
        "case.comment",
        "case.handle",
        "case.manage",
        "kb.view",
        "kb.edit",
        "revisit.view",
        "revisit.handle",
        "care.view",
        "care.manage",
        "rota.view",
        "rota.manage",
        "attendance.view",
        "kpi.view",
        "report.submit",
        "report.review",
    ],
    "agent": [
        "customer.view",
        "customer.manage",
        "case.view",
        "case.comment",
        "case.handle",
        "kb.view",
        "revisit.view",
        "rota.view",
        "kpi.view",
        "report.submit",
    ],
    "assistant": [
        "customer.view",
        "case.view",
        "case.comment",
        "case.handle",
        "kb.view",
        "revisit.view",
        "rota.view",
        "kpi.view",
        "report.submit",
    ],
    "scheduler": ["rota.view", "rota.manage", "attendance.view", "attendance.manage"],
    "qa_inspector": [
        "customer.view",
        "case.view",
        "case.comment",
        "kb.view",
        "kb.edit",
        "revisit.view",
        "kpi.view",
    ],
    "complaint_officer": [
        "customer.view",
        "case.view",
        "case.comment",
        "case.handle",
        "kb.view",
        "revisit.view",
        "kpi.view",
        "report.submit",
    ],
    "revisit_officer": [
        "customer.view",
        "case.view",
        "case.comment",
        "case.handle",
        "kb.view",
        "revisit.view",
        "revisit.handle",
        "care.view",
        "care.manage",
        "kpi.view",
        "report.submit",
    ],
    "site_lead": [
        "customer.view",
        "customer.manage",
        "claim.register",
        "claim.view_owner",
        "case.view",
        "kb.view",
        "revisit.view",
        "rota.view",
        "report.submit",
    ],
    "hr_admin": [
        "customer.view",
        "claim.manage",
        "claim.rule",
        "claim.view_owner",
        "discipline.view",
        "discipline.confirm",
        "security.incident",
        "kb.view",
        "attendance.view",
        "attendance.manage",
        "report.submit",
    ],
    "sales": ["customer.view", "customer.manage", "claim.register", "kb.view"],
    "marketing": ["customer.view", "customer.manage", "kb.view"],
    "finance": ["customer.view", "kb.view"],
    "tech_support": ["customer.view", "case.view", "case.comment", "case.handle", "kb.view", "revisit.view"],
    "info_officer": ["customer.view", "customer.verify", "kb.view"],
    "info_supervisor": [
        "customer.view",
        "customer.view_full",
        "customer.verify",
        "customer.destroy",
        "customer.import",
        "customer.export",
        "security.incident",
        "kb.view",
        "report.submit",
    ],
    "inspector": [
        "customer.view",
        "discipline.view",
        "case.view",
        "case.comment",
        "kb.view",
        "revisit.view",
        "care.view",
        "kpi.view",
        "report.review",
    ],
}
# RPT-1: the one-line roles above write their own work reports too (added here, lines kept as they are)
for _role in ("scheduler", "qa_inspector", "tech_support", "info_officer"):
    MODULE_PERMISSIONS[_role] = [*MODULE_PERMISSIONS[_role], "report.submit"]


# QC groups and training (issue 16, QC-1, TRN-1): 综合部 registers QC topics — in the demo the
# subsidiary's 行政人事部 (hr_admin) plays it (docs/decisions.md); HR and the 客服经理 run training.
QC_TRAINING_PERMISSIONS = {
    "admin": ["qc.view", "qc.manage", "qc.register", "training.view", "training.manage"],
    "executive": ["qc.view", "training.view"],
    "cs_manager": ["qc.view", "qc.manage", "training.manage"],
    "cs_supervisor": ["qc.view", "qc.manage", "training.view"],
    "hr_admin": ["qc.view", "qc.register", "training.manage"],
    "qa_inspector": ["qc.view"],
    "inspector": ["qc.view", "training.view"],
}
for _role, _codes in QC_TRAINING_PERMISSIONS.items():
    MODULE_PERMISSIONS[_role] = [*MODULE_PERMISSIONS[_role], *_codes]
# QA-1 (issue 16): inspection results, inspecting and ruling (督导 rules appeals as second inspector),
# scorecard and sampling configuration
for _role, _codes in {
    "admin": ["quality.view", "quality.configure"],
    "executive": ["quality.view"],
    "cs_manager": ["quality.view", "quality.configure"],
    "cs_supervisor": ["quality.view"],
    "agent": ["quality.view"],
    "assistant": ["quality.view"],
    "qa_inspector": ["quality.view", "quality.inspect"],
    "inspector": ["quality.view", "quality.inspect"],
}.items():
    MODULE_PERMISSIONS.setdefault(_role, []).extend(_codes)
# APR-1 (issue 16): appraisal is run by 客服经理 and 主管 ("由客服部门长和各组长进行评定", seed 001); each person
# reads their own result; HR (who confirms rewards and penalties) and the group's leaders read them too
APPRAISAL_PERMISSIONS = {
    "admin": ["appraisal.view", "appraisal.manage"],
    "executive": ["appraisal.view"],
    "cs_manager": ["appraisal.view", "appraisal.manage"],
    "cs_supervisor": ["appraisal.view", "appraisal.manage"],
    "agent": ["appraisal.view"],
    "assistant": ["appraisal.view"],
    "hr_admin": ["appraisal.view"],
    "inspector": ["appraisal.view"],
}
for _role, _codes in APPRAISAL_PERMISSIONS.items():
    MODULE_PERMISSIONS.setdefault(_role, []).extend(_codes)

# RES-1, WX-1, FEE-1 (issue 17): emergency resources, weather bulletin, fee quotes
EMERGENCY_SUPPORT_PERMISSIONS = {
    "admin": [
        "resources.view",
        "resources.manage",
        "weather.view",
        "weather.publish",
        "weather.alert",
        "fees.view",
        "fees.quote",
    ],
    "executive": ["resources.view", "weather.view", "weather.alert", "fees.view"],
    "cs_manager": [
        "resources.view",
        "resources.manage",
        "weather.view",
        "weather.publish",
        "weather.alert",
        "fees.view",
        "fees.quote",
    ],
    "cs_supervisor": ["resources.view", "resources.manage", "weather.view", "weather.publish"],
    "hr_admin": ["resources.view", "resources.manage", "weather.view", "weather.publish"],
}
for _role, _codes in EMERGENCY_SUPPORT_PERMISSIONS.items():
    MODULE_PERMISSIONS.setdefault(_role, []).extend(_codes)


# EMG-1…EMG-3 (issue 17): the 客服经理 writes the subsidiary's plans and forms its bodies; the group's
# leaders and supervisors read them (the full text only where a plan version names their role)
EMERGENCY_PERMISSIONS = {
    "admin": ["emergency.view", "emergency.plan.manage", "emergency.body.manage"],
    "executive": ["emergency.view"],
    "cs_manager": ["emergency.view", "emergency.plan.manage", "emergency.body.manage"],
    "cs_supervisor": ["emergency.view"],
    "site_lead": ["emergency.view"],
}
for _role, _codes in EMERGENCY_PERMISSIONS.items():
    MODULE_PERMISSIONS.setdefault(_role, []).extend(_codes)


# EMG-5 (issue 17): the command centre — 主任 客服部门负责人 (客服经理), the leadership group's 组长 总经理
# (集团领导) and the administrator — is alerted of complaint surges [002 客服应急预案]
EMERGENCY_COMMAND_PERMISSIONS = {
    "admin": ["emergency.command"],
    "executive": ["emergency.command"],
    "cs_manager": ["emergency.command"],
}
for _role, _codes in EMERGENCY_COMMAND_PERMISSIONS.items():
    MODULE_PERMISSIONS.setdefault(_role, []).extend(_codes)


# VEN-1 (issue 18): outsourced customer-service vendor filings [000 中通外包客服备案流程] — the customer-service
# managers enter the vendor's side of their company; the group office (集团领导) reviews, group-wide
VENDOR_PERMISSIONS = {
    "admin": ["vendors.view", "vendors.manage", "vendors.review"],
    "executive": ["vendors.view", "vendors.review"],
    "cs_manager": ["vendors.view", "vendors.manage"],
    "inspector": ["vendors.view"],
}
for _role, _codes in VENDOR_PERMISSIONS.items():
    MODULE_PERMISSIONS.setdefault(_role, []).extend(_codes)
# DOC-1 (issue 18): the 客服经理 issues the subsidiary's policies and notices, draws up its plans and reviews
# suggestions; the group's leaders and supervisors see who has read what and how the plans stand
DOCUMENTS_PERMISSIONS = {
    "admin": ["documents.view", "documents.manage"],
    "executive": ["documents.view"],
    "cs_manager": ["documents.view", "documents.manage"],
    "cs_supervisor": ["documents.view"],
}
for _role, _codes in DOCUMENTS_PERMISSIONS.items():
    MODULE_PERMISSIONS.setdefault(_role, []).extend(_codes)
# PRC-1, ORD-1 (issue 18): the catalogue is read by everyone who charges or sells; changes are proposed by
# the 客服经理 and approved by another person (财务 or 集团领导); orders are taken and confirmed by the
# 客服专员, released by 财务 after verifying the payment ("经财务核实确定客户打款后"), shipped by whoever
# also opens the arrival revisit (revisit.handle: 主管、经理), returns handled by 主管、经理、投诉专员
COMMERCE_PERMISSIONS = {
    "admin": [
        "catalogue.view",
        "catalogue.propose",
        "catalogue.approve",
        "order.view",
        "order.create",
        "order.release",
        "order.ship",
        "order.return",
        "order.stock",
    ],
    "executive": ["catalogue.view", "catalogue.approve", "order.view"],
    "cs_manager": [
        "catalogue.view",
        "catalogue.propose",
        "order.view",
        "order.create",
        "order.ship",
        "order.return",
        "order.stock",
    ],
    "cs_supervisor": ["catalogue.view", "order.view", "order.create", "order.ship", "order.return"],
    "agent": ["catalogue.view", "order.view", "order.create"],
    "assistant": ["catalogue.view", "order.view"],
    "complaint_officer": ["catalogue.view", "order.view", "order.return"],
    "revisit_officer": ["catalogue.view", "order.view"],
    "tech_support": ["catalogue.view"],
    "finance": ["catalogue.view", "catalogue.approve", "order.view", "order.release"],
    "inspector": ["catalogue.view", "order.view"],
}
for _role, _codes in COMMERCE_PERMISSIONS.items():
    MODULE_PERMISSIONS.setdefault(_role, []).extend(_codes)


def sync_permissions(Role, modules: dict[str, list[str]] = MODULE_PERMISSIONS) -> None:
    """Add the listed permissions to the built-in roles that lack them (never removes any)."""
    for role in Role.objects.filter(code__in=list(modules), builtin=True):
        missing = [p for p in modules[role.code] if p not in role.permissions]
        if missing:
            role.permissions = sorted([*role.permissions, *missing])
            role.save(update_fields=["permissions"])


def apply(Post, Role) -> None:
    """Create the seeded posts and roles that are missing (models passed in: works in migrations too)."""
    for code, name in POSTS:
        Post.objects.get_or_create(code=code, defaults={"name": name})
    for code, name, scope, supervisory, permissions, description in ROLES:
        Role.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "scope": scope,
                "supervisory_only": supervisory,
                "permissions": permissions,
                "description": description,
                "builtin": True,
            },
        )
    sync_permissions(Role)
