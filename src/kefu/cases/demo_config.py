"""Demo configuration of the cases module: the skill groups of the demo organisation (ROUTE-1) and
the water company's own case kinds (CASE-1), made through the configuration actions."""

from kefu.cases.actions import config as actions_config
from kefu.cases.models import CaseKind, Office, SkillGroup
from kefu.core.actor import Actor
from kefu.org.models import Employee, Unit

FRONT_FAMILIES = ["consultation", "suggestion", "feedback", "help_request", "service_request", "repair"]

# unit code, group code, name, office, families, members (usernames)
GROUPS = [
    ("realty-cs-hotline", "hotline", "热线组", Office.FRONT, FRONT_FAMILIES, ["zhaomin", "sunli"]),
    ("realty-cs-complaints", "complaints", "投诉组", Office.BACK, ["complaint"], ["wujing"]),
    (
        "water-cs-hotline",
        "hotline",
        "96390 热线组",
        Office.FRONT,
        [*FRONT_FAMILIES[:-1], "complaint"],
        ["lvxin"],
    ),
    ("water-tech", "tech", "技术支持组", Office.BACK, ["repair"], ["xuhao"]),
    ("water-cs-revisit", "revisit", "回访组", Office.BACK, [], ["zhengkai"]),
]

WATER_KINDS = [
    {
        "code": "water_application",
        "family": "service_request",
        "name": "用水申请",
        "name_en": "Water supply application",
        "fields": [
            {"name": "address", "label": "用水地址", "type": "text", "required": True},
            {
                "name": "usage",
                "label": "用水性质",
                "type": "choice",
                "required": True,
                "choices": ["居民生活", "非居民", "特种行业"],
            },
            {"name": "wanted_on", "label": "期望通水日期", "type": "date", "required": False},
        ],
    },
    {
        "code": "ownership_transfer",
        "family": "service_request",
        "name": "过户",
        "name_en": "Account transfer",
        "fields": [
            {"name": "old_holder", "label": "原户名", "type": "text", "required": True},
            {"name": "new_holder", "label": "新户名", "type": "text", "required": True},
            {"name": "account_no", "label": "户号", "type": "text", "required": True},
        ],
    },
    {
        # the water company's 报修 replaces the shipped one there (same code)
        "code": "repair",
        "family": "repair",
        "name": "报修",
        "name_en": "Repair",
        "fields": [
            {"name": "address", "label": "地址", "type": "text", "required": True},
            {
                "name": "fault",
                "label": "故障类型",
                "type": "choice",
                "required": True,
                "choices": ["漏水", "停水", "水压低", "水质"],
            },
        ],
    },
]


def load_case_config(actor: Actor) -> dict:
    """Skill groups for the realty and water companies, and the water company's own kinds; what
    already exists (same unit and code) is left as it is, so calling it twice changes nothing."""
    units = {u.code: u for u in Unit.objects.filter(code__in={g[0] for g in GROUPS} | {"hc-water"})}
    people = {
        e.user.username: e
        for e in Employee.objects.filter(user__username__in={u for g in GROUPS for u in g[5]}).select_related(
            "user"
        )
    }
    groups = []
    for unit, code, name, office, families, members in GROUPS:
        found = SkillGroup.objects.filter(unit=units[unit], code=code).first()
        groups.append(
            found
            or actions_config.create_group(
                actor,
                unit=units[unit],
                code=code,
                name=name,
                office=office,
                families=families,
                members=[people[u].pk for u in members],
            )
        )
    kinds = [
        CaseKind.objects.filter(unit=units["hc-water"], code=spec["code"]).first()
        or actions_config.create_kind(actor, unit=units["hc-water"], **dict(spec))
        for spec in WATER_KINDS
    ]
    return {"groups": groups, "kinds": kinds}
