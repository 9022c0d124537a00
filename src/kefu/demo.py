"""The demo organisation (`kefu demo load`): a small group with a user for every seeded role.

Everything is created through actions, as the admin, so the audit log tells the story too.
Later modules extend `load()` with their own demo records.
"""

import secrets
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction

from kefu.cases.demo import load_cases
from kefu.cases.demo_commitments import load_commitments
from kefu.cases.demo_hardship import load_hardship
from kefu.catalogue.demo import load_catalogue
from kefu.claims.demo import load_claims, load_sales_plans
from kefu.core import audit
from kefu.core.actor import Actor
from kefu.customers.demo import load_customers, load_specialist_skills
from kefu.documents.demo import load_documents
from kefu.emergency.demo import load_emergency
from kefu.emergency.demo_drills import load_drills
from kefu.emergency.demo_incidents import load_incidents
from kefu.followups.demo import load_revisits, load_surveys
from kefu.followups.demo_care import load_care
from kefu.insights.demo_reports import load_reports
from kefu.orders.demo import load_orders
from kefu.org import actions as org
from kefu.org.models import Employee, Post, Role, Unit
from kefu.quality.demo import load_quality
from kefu.quality.demo_appraisals import load_appraisals
from kefu.quality.demo_qcgroups import load_qcgroups
from kefu.quality.demo_training import load_training
from kefu.vendors.demo import load_vendors
from kefu.workforce.demo_handover import load_handover
from kefu.workforce.demo_leave import load_leave
from kefu.workforce.demo_shifts import load_shifts

DEMO_PASSWORD = "kefu-demo-2026"  # noqa: S105 — documented in the README; demo data only
User = get_user_model()

# (code, name, kind, parent code)
UNITS = [
    ("hc-group", "华辰控股集团", "group", None),
    ("hc-office", "集团办公室", "department", "hc-group"),
    ("hc-cs-centre", "集团客服中心", "department", "hc-group"),
    ("hc-realty", "华辰置业有限公司", "subsidiary", "hc-group"),
    ("realty-cs", "客户服务部", "department", "hc-realty"),
    ("realty-cs-hotline", "热线一组", "team", "realty-cs"),
    ("realty-cs-complaints", "投诉处理组", "team", "realty-cs"),
    ("realty-sales", "营销部", "department", "hc-realty"),
    ("realty-sales-showroom", "云栖案场组", "team", "realty-sales"),
    ("realty-admin", "行政人事部", "department", "hc-realty"),
    ("realty-finance", "财务部", "department", "hc-realty"),
    ("hc-water", "华辰水务有限公司", "subsidiary", "hc-group"),
    ("water-cs", "客户服务中心", "department", "hc-water"),
    ("water-cs-hotline", "96390 热线组", "team", "water-cs"),
    ("water-cs-revisit", "回访组", "team", "water-cs"),
    ("water-tech", "技术支持部", "department", "hc-water"),
]

# (username, name, number, unit code, post code, role codes, phone)
PEOPLE = [
    ("zhangwei", "张伟", "HC0001", "hc-office", "general_manager", ["executive"], "13901010001"),
    ("liuyang", "刘洋", "HC0002", "hc-office", "deputy_general_manager", ["executive"], "13901010002"),
    ("tangning", "唐宁", "HC0003", "hc-cs-centre", "cs_supervisor", ["inspector"], "13901010003"),
    ("wangfang", "王芳", "RE0001", "realty-cs", "cs_manager", ["cs_manager"], "13801020001"),
    ("lina", "李娜", "RE0002", "realty-cs-hotline", "cs_supervisor", ["cs_supervisor"], "13801020002"),
    ("zhaomin", "赵敏", "RE0003", "realty-cs-hotline", "cs_specialist", ["agent"], "13801020003"),
    ("sunli", "孙丽", "RE0004", "realty-cs-hotline", "cs_assistant", ["assistant"], "13801020004"),
    ("zhouqiang", "周强", "RE0005", "realty-cs", "qa_inspector", ["qa_inspector"], "13801020005"),
    (
        "wujing",
        "吴静",
        "RE0006",
        "realty-cs-complaints",
        "complaint_officer",
        ["complaint_officer"],
        "13801020006",
    ),
    ("chenjie", "陈杰", "RE0007", "realty-cs", "scheduler", ["scheduler"], "13801020007"),
    ("heping", "何平", "RE0008", "realty-sales-showroom", "site_lead", ["site_lead"], "13801020008"),
    ("huanglei", "黄磊", "RE0009", "realty-sales-showroom", "sales", ["sales"], "13801020009"),
    ("linxiao", "林晓", "RE0010", "realty-sales", "marketing", ["marketing"], "13801020010"),
    ("majun", "马军", "RE0011", "realty-admin", "hr_admin", ["hr_admin"], "13801020011"),
    ("guoqing", "郭庆", "RE0012", "realty-finance", "finance", ["finance"], "13801020012"),
    ("hemei", "何梅", "RE0013", "realty-cs", "info_officer", ["info_officer"], "13801020013"),
    ("songyu", "宋雨", "RE0014", "realty-cs", "info_supervisor", ["info_supervisor"], "13801020014"),
    ("gaofeng", "高峰", "WA0001", "water-cs", "cs_manager", ["cs_manager"], "13701030001"),
    ("lvxin", "吕欣", "WA0002", "water-cs-hotline", "cs_specialist", ["agent"], "13701030002"),
    ("zhengkai", "郑凯", "WA0003", "water-cs-revisit", "revisit_officer", ["revisit_officer"], "13701030003"),
    ("xuhao", "徐浩", "WA0004", "water-tech", "tech_support", ["tech_support"], "13701030004"),
]

# who reports to whom (ORG-2 supervisors)
SUPERVISORS = {
    "liuyang": ["zhangwei"],
    "wangfang": ["liuyang"],
    "gaofeng": ["liuyang"],
    "lina": ["wangfang"],
    "zhaomin": ["lina"],
    "sunli": ["lina"],
    "zhouqiang": ["wangfang"],
    "wujing": ["wangfang"],
    "chenjie": ["wangfang"],
    "hemei": ["songyu"],
    "songyu": ["wangfang"],
    "heping": ["liuyang"],
    "huanglei": ["heping"],
    "linxiao": ["heping"],
    "majun": ["liuyang"],
    "guoqing": ["liuyang"],
    "lvxin": ["gaofeng"],
    "zhengkai": ["gaofeng"],
    "xuhao": ["gaofeng"],
    "tangning": ["zhangwei"],
}


@dataclass
class AdminLogin:
    username: str
    password: str
    created: bool


def ensure_admin(password: str | None = None) -> AdminLogin:
    """The superuser `admin`; created with a random password (shown once) if missing."""
    existing = User.objects.filter(username="admin").first()
    if existing is not None:
        return AdminLogin("admin", "", False)
    password = password or secrets.token_urlsafe(12)
    User.objects.create_superuser("admin", "admin@example.invalid", password)
    return AdminLogin("admin", password, True)


def is_loaded() -> bool:
    return Unit.objects.filter(code="hc-group").exists()


@transaction.atomic
def load(password: str = DEMO_PASSWORD, *, service_cases: bool = True) -> dict:
    """Create the demo organisation. Safe to call twice: does nothing if it is already there.

    `service_cases=False` leaves out the knowledge base and the sample cases (the tests' baseline)."""
    if is_loaded():
        return {"created": False}
    admin = User.objects.get(username="admin")
    actor = Actor(user=admin, origin="cli demo")
    units: dict[str, Unit] = {}
    for code, name, kind, parent in UNITS:
        units[code] = org.create_unit(
            actor, kind=kind, name=name, code=code, parent=units[parent] if parent else None
        )
    org.save_site(
        actor,
        name="华辰·云栖案场",
        kind="showroom",
        unit=units["hc-realty"],
        address="杭州市西湖区云栖路 88 号",
    )
    org.save_site(
        actor,
        name="水务城东营业厅",
        kind="service_hall",
        unit=units["hc-water"],
        address="杭州市上城区解放路 12 号",
    )
    posts = {p.code: p for p in Post.objects.all()}
    roles = {r.code: r for r in Role.objects.all()}
    people: dict[str, Employee] = {}
    admin_employee, _ = org.create_employee(
        actor,
        username="admin",
        name="系统管理员",
        number="HC0000",
        unit=units["hc-office"],
        post=posts["hr_admin"],
        account=admin,
    )
    org.set_roles(actor, admin_employee, [roles["admin"]])
    for username, name, number, unit_code, post_code, role_codes, phone in PEOPLE:
        employee, _ = org.create_employee(
            actor,
            username=username,
            name=name,
            number=number,
            unit=units[unit_code],
            post=posts[post_code],
            password=password,
            phone=phone,
            email=f"{username}@demo.kefu.invalid",
            employment_type="regular",
            confirmed_on=date(2024, 3, 1),
        )
        org.set_roles(actor, employee, [roles[c] for c in role_codes])
        people[username] = employee
    for username, bosses in SUPERVISORS.items():
        org.update_employee(actor, people[username], supervisors=[people[b] for b in bosses])
    load_customers(actor)
    load_specialist_skills(actor)  # CUS-7
    load_claims(actor)
    if service_cases:
        load_sales_plans(actor)  # CLM-11 (an approval waiting: in the full demo only, as the other requests)
        load_cases(actor)
        load_commitments(actor)  # CASE-8 expected time missed, SLA-1 calls
        load_revisits(actor)
        load_surveys(actor)
        load_care(actor)
        load_shifts(actor)
        load_leave(actor)
        load_handover(actor)
        load_qcgroups(actor)  # QC-1
        load_training(actor, password)  # TRN-1: 钱程 in onboarding
        load_quality(actor)  # QA-1
        load_appraisals(actor)  # APR-1, DIS-1
        load_reports(actor)  # RPT-1
        load_emergency(actor)  # EMG-1…EMG-3, EMG-6, RES-1, WX-1, FEE-1
        load_drills(actor)  # DRL-1
        load_incidents()  # EMG-4, EMG-5
        load_vendors()  # VEN-1
        load_documents(actor)  # DOC-1
        load_hardship(actor)  # HRD-1 逾期报备
        load_catalogue(actor)  # PRC-1
        load_orders(actor)  # ORD-1
    audit.seal_pending()  # the demo arrives with its audit rows chained (SEC-6), as the worker would do
    return {"created": True, "users": len(people) + 1}
