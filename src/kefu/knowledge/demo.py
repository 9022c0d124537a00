"""Demo knowledge base (KB-1): categories linked to case kinds and ~15 published articles plus a draft.

`load_knowledge(actor)` is called by `kefu.demo.load` after the demo organisation exists. Articles are
written and published through the actions, by the demo's customer-service managers when they exist
(王芳 for 华辰置业, 高峰 for 华辰水务), otherwise by `actor`. Safe to call twice.
"""

from kefu.core.actor import Actor
from kefu.knowledge import actions
from kefu.knowledge.models import Article, Category
from kefu.org.models import Employee, Unit

# (code, name, unit code or None for the group root, parent code, case kinds)
CATEGORIES = [
    ("consult", "咨询", None, None, ["consultation", "service_request"]),
    ("complaint", "投诉", None, None, ["complaint", "feedback", "suggestion"]),
    ("repair", "报修", None, None, ["repair", "rescue", "help_request"]),
    ("billing", "账单", None, None, ["consultation", "complaint"]),
    ("water", "用水", "hc-water", None, ["consultation", "repair", "service_request"]),
    ("power", "供电", None, None, ["consultation", "repair", "rescue"]),
    ("property", "房产与物业", "hc-realty", None, ["consultation", "service_request", "complaint"]),
    ("transfer", "过户与变更", None, "consult", ["service_request", "consultation"]),
]

# (category, title, keywords, body, author username, unit code or None)
ARTICLES = [
    (
        "transfer",
        "如何办理用水户过户",
        "过户 更名 户主变更 用水",
        "房屋买卖或继承后，新户主应到水务城东营业厅或通过 96390 热线预约办理用水过户。\n\n"
        "所需材料：新户主身份证原件、不动产权证书或购房合同、原户主最后一期水费结清凭证；"
        "委托他人办理的，另需委托书和受托人身份证。\n\n"
        "办理流程：抄表结清旧账 → 提交材料审核 → 变更户名 → 重新签订供用水合同。材料齐全的，当场办结。",
        "gaofeng",
        "hc-water",
    ),
    (
        "water",
        "停水通知查询方法",
        "停水 通知 计划停水 抢修停水",
        "计划停水至少提前 24 小时通过官网、微信公众号和小区公告发布；抢修停水以现场公告和短信为准。\n\n"
        "客户来电询问时：先核对客户地址所在片区，在系统“停水公告”中按片区查询；"
        "如无公告，登记为报修并告知预计回复时间。\n\n"
        "答复要点：停水范围、起止时间、恢复供水后可能出现短时浑水，放水几分钟即可。",
        "gaofeng",
        "hc-water",
    ),
    (
        "complaint",
        "投诉处理流程与时限",
        "投诉 流程 时限 升级 回访",
        "受理：记录客户姓名、联系方式、投诉内容和诉求，向客户复述确认，告知工单号。\n\n"
        "处理：一般投诉由投诉处理组在承诺时限内给出处理意见；涉及多个部门的，由客服主管协调；"
        "超时未处理的工单自动升级。\n\n"
        "结案：向客户说明处理结果并征得认可；结案后安排回访，客户不满意的重新立案。",
        None,
        None,
    ),
    (
        "billing",
        "电费账单解读",
        "电费 账单 阶梯电价 峰谷",
        "账单包括：户号、计费周期、上期与本期示数、用电量、电价类别和应缴金额。\n\n"
        "居民阶梯电价按年度累计用电量分档计价；峰谷分时用户分别列出峰段和谷段电量。\n\n"
        "客户质疑电量偏高时：先核对示数是否抄错、计费周期是否变长，再建议客户自查家中大功率电器；"
        "仍有疑问的，可申请校验电表。",
        None,
        None,
    ),
    (
        "repair",
        "报修上门时间说明",
        "报修 上门 时限 预约",
        "受理报修后，维修人员一般在 2 小时内电话联系客户预约上门时间；紧急情况（漏水、断电、燃气异味）优先派单。\n\n"
        "客户不在家的，可预约其他时间段；上门前 30 分钟再次电话确认。\n\n"
        "维修完成后请客户在工单上签字确认，并告知回访电话。",
        None,
        None,
    ),
    (
        "water",
        "水费缴纳渠道",
        "水费 缴费 自动扣款 营业厅",
        "可通过营业厅柜台、银行代扣、微信公众号、支付宝生活缴费缴纳水费。\n\n"
        "办理银行代扣需携带户号和银行卡到营业厅签约，次月生效。\n\n"
        "逾期未缴的，系统按月提醒；长期欠费可能停止供水，恢复供水需先结清欠费。",
        "gaofeng",
        "hc-water",
    ),
    (
        "water",
        "水质发黄或有异味怎么办",
        "水质 发黄 异味 浑水",
        "管网施工或停水恢复后可能出现短时浑水，放水 3–5 分钟一般可恢复。\n\n"
        "持续发黄、有异味的，登记报修并记录客户地址、现象和开始时间，通知技术支持部取样检测。\n\n"
        "安抚要点：告知已安排检测，检测结果出来后回电告知。",
        "gaofeng",
        "hc-water",
    ),
    (
        "repair",
        "水表故障与更换",
        "水表 故障 更换 不走字",
        "水表不走字、玻璃破裂或漏水的，登记报修，由维修人员上门核查。\n\n"
        "非人为损坏的水表免费更换；人为损坏的按收费标准收取材料费。换表时双方确认新旧表示数。",
        "gaofeng",
        "hc-water",
    ),
    (
        "power",
        "突然停电的处理步骤",
        "停电 跳闸 抢修 供电",
        "先请客户确认是否只有本户停电：查看邻居家和楼道灯。\n\n"
        "仅本户停电的，指导客户检查家中总闸是否跳闸；片区停电的，查询计划停电公告，无公告的按抢修工单派单。\n\n"
        "涉及医疗设备等特殊用户，优先升级处理。",
        None,
        None,
    ),
    (
        "consult",
        "客户咨询的首问负责",
        "首问负责 咨询 转接",
        "首位接待客户的客服人员负责到底：能当场解答的当场解答；不能解答的，记录问题并告知答复时限，"
        "由本人跟进至答复完成，不得让客户重复描述问题。\n\n"
        "转交其他部门处理的，应告知客户承办部门和预计时间。",
        None,
        None,
    ),
    (
        "complaint",
        "客户情绪激动时的沟通技巧",
        "情绪 安抚 沟通 投诉",
        "先倾听，不打断；用“我理解您的心情”表达共情，不争辩、不推诿。\n\n"
        "复述客户的核心诉求，给出明确的下一步和时间；无法当场答应的，不随意承诺。\n\n"
        "通话中客户辱骂的，礼貌提醒一次；仍继续的，报告主管处理。",
        None,
        None,
    ),
    (
        "property",
        "交房验收常见问题",
        "交房 验收 房屋质量 保修",
        "验收时请业主对照《房屋验收表》逐项检查门窗、墙面、水电和防水。\n\n"
        "发现问题的，在验收表上记录并由现场工程人员签字，客服登记为报修工单跟进整改。\n\n"
        "保修期内的质量问题免费维修，保修期按合同约定执行。",
        "wangfang",
        "hc-realty",
    ),
    (
        "property",
        "房产证办理进度查询",
        "房产证 不动产权证 办证 进度",
        "业主来电查询办证进度时，核对业主姓名、房号和身份证后四位，在系统“办证台账”中查询。\n\n"
        "各阶段：资料收集 → 提交不动产登记中心 → 审核 → 出证 → 通知领取。领取时需本人携带身份证。",
        "wangfang",
        "hc-realty",
    ),
    (
        "billing",
        "账单金额异常的核查步骤",
        "账单 异常 多收 退费",
        "核对账单周期、示数和单价；发现抄表错误的，提交更正申请，下期账单冲减。\n\n"
        "确认多收的，按退费流程办理，退费到原缴费渠道；处理结果电话告知客户。",
        None,
        None,
    ),
    (
        "transfer",
        "联系电话和地址变更",
        "变更 电话 地址 资料",
        "客户可通过热线或营业厅变更联系电话和通讯地址，需核实户主身份。\n\n"
        "电话变更后，重要通知（停水、欠费提醒）发送到新号码。",
        None,
        None,
    ),
]

DRAFT = (
    "complaint",
    "投诉赔偿标准（草稿）",
    "赔偿 投诉 标准",
    "本文整理常见投诉的赔偿标准，待客服部经理审核后发布。\n\n赔偿金额须经审批，客服人员不得自行承诺。",
    None,
    None,
)


def _unit(code: str | None) -> Unit:
    found = Unit.objects.filter(code=code).first() if code else None
    return found or Unit.objects.filter(parent__isnull=True).order_by("pk").first()


def _writer(actor: Actor, username: str | None) -> Actor:
    if username:
        employee = Employee.objects.filter(user__username=username).select_related("user").first()
        if employee is not None:
            return Actor(user=employee.user, origin=actor.origin or "demo")
    return actor


def load_knowledge(actor: Actor) -> dict:
    """Create the demo categories and articles (written by the managers, published, one left a draft)."""
    if Category.objects.filter(code=CATEGORIES[0][0]).exists():
        return {"created": False}
    categories: dict[str, Category] = {}
    for position, (code, name, unit_code, parent, kinds) in enumerate(CATEGORIES):
        categories[code] = actions.create_category(
            actor,
            code=code,
            name=name,
            unit=_unit(unit_code),
            parent=categories.get(parent),
            case_kinds=kinds,
            position=position,
        )
    for category, title, keywords, body, username, unit_code in ARTICLES:
        writer = _writer(actor, username)
        article = actions.create_article(
            writer, title=title, body=body, keywords=keywords, category=category, unit=_unit(unit_code)
        )
        actions.publish_article(writer, article)
    category, title, keywords, body, username, unit_code = DRAFT
    actions.create_article(
        _writer(actor, username), title=title, body=body, keywords=keywords, category=category
    )
    return {"created": True, "categories": len(categories), "articles": Article.objects.count()}
