"""Demo customers (`kefu demo load`): about forty people and organisations in 杭州, spread over the
demo subsidiaries and owners, covering every tier, audience category and lifecycle stage.

Created through the actions, as the given actor, so the audit log and decision records are real.
"""

from datetime import date
from decimal import Decimal

from kefu.customers.actions import archive, assignment, contacts
from kefu.org.models import Employee, Unit

DISTRICTS = ["西湖区", "上城区", "拱墅区", "滨江区", "余杭区", "萧山区", "临平区", "钱塘区"]
STREETS = ["文三路", "解放路", "湖墅南路", "江南大道", "文一西路", "市心中路", "迎宾大道", "下沙路"]

# (name, gender, needs, source) — persons
PERSONS = [
    ("陈建国", "男", "改善型住宅", "来电"),
    ("王秀英", "女", "学区房", "案场来访"),
    ("李志强", "男", "商铺投资", "老带新"),
    ("张丽华", "女", "养老公寓", "网络咨询"),
    ("刘德明", "男", "车位", "来电"),
    ("杨雪梅", "女", "精装住宅", "展会"),
    ("赵国栋", "男", "别墅", "老带新"),
    ("黄晓燕", "女", "刚需住宅", "案场来访"),
    ("周文斌", "男", "自来水报装", "营业厅"),
    ("吴玉兰", "女", "水表更换", "96390 热线"),
    ("徐海涛", "男", "水费账户变更", "营业厅"),
    ("孙美玲", "女", "二次供水咨询", "96390 热线"),
    ("马俊杰", "男", "公寓", "网络咨询"),
    ("朱慧敏", "女", "住宅", "来电"),
    ("胡永刚", "男", "商铺", "展会"),
    ("郭静怡", "女", "住宅", "案场来访"),
    ("何建华", "男", "水质检测", "96390 热线"),
    ("林小红", "女", "住宅", "老带新"),
    ("罗志伟", "男", "别墅", "来电"),
    ("高丽娟", "女", "水费缴纳", "营业厅"),
    ("梁振东", "男", "写字楼", "展会"),
    ("宋佳琪", "女", "住宅", "网络咨询"),
    ("郑国强", "男", "车位", "来电"),
    ("谢婉婷", "女", "住宅", "案场来访"),
]

# (name, industry, size, needs, key person, key person's position) — organisations
ORGANISATIONS = [
    ("杭州云栖数智科技有限公司", "软件和信息技术", "300 人", "总部办公楼整层租赁", "沈立群", "行政总监"),
    ("浙江钱潮建设集团有限公司", "建筑", "2000 人", "战略合作：代建项目", "潘国华", "副总裁"),
    ("杭州西溪湿地文旅发展有限公司", "文化旅游", "150 人", "员工宿舍团购", "蒋雯", "人事经理"),
    ("杭州滨江区人民医院", "医疗卫生", "1200 人", "院区供水保障", "韩立新", "后勤处长"),
    ("杭州市余杭区实验小学", "教育", "180 人", "校区二次供水改造", "方晓", "总务主任"),
    ("浙江新安食品股份有限公司", "食品制造", "800 人", "工业用水报装", "邵建明", "设备部经理"),
    ("杭州城东物业管理有限公司", "物业服务", "500 人", "小区水表集中抄收", "钟敏", "总经理"),
    ("杭州市消费者权益保护委员会", "行业监督", "40 人", "投诉转办对接", "陆明", "秘书长"),
    ("杭州市住房保障和房产管理局", "政府部门", "—", "预售监管沟通", "冯强", "科长"),
    ("杭州之江律师事务所", "法律服务", "60 人", "合作法律顾问", "金澜", "合伙人"),
    ("华东建材供应链有限公司", "建材贸易", "220 人", "供应商合作", "崔浩", "销售总监"),
    ("杭州萧山国际会展中心有限公司", "会展", "260 人", "展会合作", "任佳", "市场部经理"),
    ("杭州临平新城开发建设有限公司", "城市开发", "300 人", "片区供水配套", "龚伟", "工程部长"),
    ("浙江天目山矿泉水有限公司", "饮料制造", "350 人", "水源合作", "严青", "采购经理"),
    ("杭州钱塘新区管委会", "政府部门", "—", "区域发展对接", "彭涛", "主任助理"),
    ("杭州湖畔养老服务中心", "养老服务", "90 人", "养老公寓合作", "于芳", "院长"),
]

# (tier, owner username) cycles; each owner satisfies the CUS-2 owner rule for that tier
REALTY_OWNERS = [
    ("normal", "huanglei"),
    ("normal", "linxiao"),
    ("normal", "zhaomin"),
    ("key", "wangfang"),
    ("key", "lina"),
    ("normal", "heping"),
]
WATER_OWNERS = [("normal", "lvxin"), ("key", "gaofeng"), ("normal", "lvxin")]
STAGES = ["expansion", "maintenance", "recovery", "value"]


def _phone(i: int) -> str:
    return f"13{5 + i % 5}{5710 + i:04d}{2000 + 37 * i % 8000:04d}"[:11]


def _address(i: int) -> str:
    return f"浙江省杭州市{DISTRICTS[i % len(DISTRICTS)]}{STREETS[(i * 3) % len(STREETS)]} {10 + i * 7} 号"


def load_customers(actor) -> int:
    """Create the demo customers as `actor` (the demo admin). Returns how many were created."""
    people = {e.user.username: e for e in Employee.objects.select_related("user", "unit")}
    units = {u.code: u for u in Unit.objects.all()}
    created = 0
    for i, (name, gender, needs, source) in enumerate(PERSONS):
        water = i % 4 == 0 or "水" in needs
        tier, owner = (WATER_OWNERS if water else REALTY_OWNERS)[i % (3 if water else 6)]
        audience = "D" if i in (5, 17) else "A"
        customer = archive.create_customer(
            actor,
            name=name,
            phone=_phone(i),
            address=_address(i),
            kind="person",
            unit=people[owner].unit,
            owner=people[owner],
            gender=gender,
            birthday=date(1960 + (i * 3) % 40, 1 + i % 12, 1 + (i * 5) % 28),
            id_number=f"3301{(i * 7919) % 100:02d}19{60 + (i * 3) % 40}{1 + i % 12:02d}{10 + i % 18:02d}{1000 + i * 37:04d}",
            region=DISTRICTS[i % len(DISTRICTS)],
            needs=needs,
            source=source,
            contact_window="12:00–14:00" if i % 3 == 0 else "",
            tier=tier,
            audience=audience,
            family_of=people["zhaomin"] if audience == "D" else None,
            novelty="important" if i % 5 == 0 else "new",
            stage=STAGES[i % 4],
            at_risk=i % 7 == 3,
            credit_class=1 + i % 4,
            annual_amount=Decimal(20000 + i * 61000),
            consent_marketing=i % 2 == 0,
            emergency_contact=f"家属 {_phone(i + 100)}" if i % 4 == 1 else "",
        )
        if i % 3 == 1:
            specialist = people["lvxin"] if water else people["zhaomin"]
            assignment.assign(actor, customer, specialist)
            if i % 2:
                assignment.record_contact(actor, customer, "电话沟通需求，已备案")
        created += 1
    for i, (name, industry, size, needs, person, position) in enumerate(ORGANISATIONS):
        water = i in (3, 4, 5, 6, 12, 13)
        subsidiary = units["hc-water" if water else "hc-realty"]
        if i in (1, 14):
            tier, owner = "strategic", "zhangwei" if i == 1 else "liuyang"
        elif i % 3 == 0:
            tier, owner = "key", "gaofeng" if water else "wangfang"
        else:
            tier, owner = "normal", "lvxin" if water else "huanglei"
        audience = "C" if industry in ("行业监督", "政府部门") else ("B" if i in (9, 10, 11, 13) else "A")
        complete = i % 2 == 0
        customer = archive.create_customer(
            actor,
            name=name,
            phone=f"0571{88000000 + i * 1317:08d}",
            address=_address(i + 40),
            kind="organisation",
            unit=subsidiary,
            owner=people[owner],
            id_number=f"91330{100 + i:03d}MA2{'ABCDEFGHJK'[i % 10]}{7000 + i * 13:04d}X",
            region=DISTRICTS[(i + 2) % len(DISTRICTS)],
            industry=industry,
            size=size,
            assets="1 亿元以上" if i % 2 else "",
            founded_on=date(1995 + i, 1 + i % 12, 8),
            first_trade_on=date(2018 + i % 7, 3, 1),
            qualifications="营业执照、相关行业资质" if complete else "",
            needs=needs,
            source="商务拓展",
            tier=tier,
            audience=audience,
            novelty="important" if tier != "normal" else "new",
            stage=STAGES[(i + 1) % 4],
            at_risk=i == 7,
            annual_amount=Decimal(150000 + i * 230000),
            consent_external=i % 4 == 0,
        )
        contacts.add_contact(actor, customer, name=person, position=position, phone=_phone(i + 60))
        if complete:
            archive.mark_archive_complete(actor, customer)
        created += 1
    return created


# CUS-7 业务能力: the industries the demo specialists know (a customer of one of them goes to them first)
SPECIALIST_SKILLS = {
    "zhaomin": ["软件和信息技术", "文化旅游"],
    "huanglei": ["建筑", "城市开发", "建材贸易"],
    "lvxin": ["食品制造", "饮料制造", "医疗卫生"],
}


def load_specialist_skills(actor) -> None:
    """CUS-7: the demo specialists' skills (idempotent: the lists are set, not added to)."""
    people = {e.user.username: e for e in Employee.objects.select_related("user", "unit")}
    for username, industries in SPECIALIST_SKILLS.items():
        if username in people:
            assignment.set_skills(actor, people[username], industries)
