"""What the emergency app ships (EMG-2, EMG-3, EMG-6): the plan templates of every EMG-6 type with
their checklist steps quoted from seeds 002 (客服应急预案) and 003 (客户服务应急预案), the emergency
body templates with their role slots, and the default response levels.

A step is (text, role slot key, time limit in minutes or None, source). The source names the seed
clause the text quotes; an empty source marks a step the seeds do not give (本系统默认值: a default
of this system, to be edited by the subsidiary). The response levels are not from the seeds either."""

S002_SITE = "002 案场客服应急预案"
S002_INNER = "002 客服内部应急预案"
S002_CENTRE = "002 客服内部应急预案（客服中心）"
S002_NEW = "002 客服服务应急预案新"
S002_CS = "002 客服应急预案"
S003_STD = "003 客户服务应急预案 Q/320611 LHJ002—2018"
S003_CS = "003 客户服务应急预案 3.3"
S003_RECEPTION = "003 接待应急预案"

# ---------------------------------------------------------------- EMG-2 body templates

# kind → (name, [(code, title, post the seed names)], source)
BODY_TEMPLATES = {
    "leadership": (
        "应急领导小组",
        [
            ("leader", "组长", "总经理"),
            ("deputy_leader", "副组长", "分管客服副总经理"),
            ("member", "成员", "各部门负责人"),
        ],
        "002 客服应急预案 二、1：由公司总经理担任组长,分管客服的副总经理担任副组长,各部门负责人为成员。",
    ),
    "command": (
        "应急指挥中心",
        [("director", "主任", "客服部门负责人")],
        "002 客服应急预案 二、2：由客服部门负责人担任指挥中心主任,负责应急响应的全面指挥和协调。",
    ),
    "handling": (
        "应急处置小组",
        [
            ("cs", "客服部门人员", "客服部门"),
            ("tech", "技术支持人员", "技术支持部门"),
            ("marketing", "市场部门人员", "市场部门"),
        ],
        "002 客服应急预案 二、3：由客服部门、技术支持部门、市场部门等相关部门人员组成,负责具体事件的应急处置。",
    ),
    "liaison": (
        "应急联络员",
        [("liaison", "联络员", "")],
        "002 客服内部应急预案 三、3：应急联络员负责接收、传递应急信息,确保信息畅通。",
    ),
    "specialist": (
        "紧急情况处置专员",
        [("specialist", "处置专员", "客服部管理层")],
        "002 客服部应急预案 5：在客服部的管理层中,设立一名紧急情况处置专员,负责协调应急响应团队,指挥现场处理工作。",
    ),
    "site_leadership": (
        "案场应急领导小组",
        [
            ("leader", "组长", "客服部经理"),
            ("deputy_leader", "副组长", "客服主管"),
            ("member", "成员", "客服部全体人员、相关部门负责人"),
        ],
        "002 案场客服应急预案 三、1：组长:客服部经理- 副组长:客服主管- 成员:客服部全体人员、相关部门负责人",
    ),
    "site_team": (
        "客服应急小组",
        [("leader", "组长", "客服主管"), ("member", "成员", "客服专员")],
        "002 案场客服应急预案 三、2：组长:客服主管- 成员:客服专员、客服主管",
    ),
}

# ---------------------------------------------------------------- EMG-3 levels and powers

# 本系统默认值: the seeds name no levels ("对各类紧急情况进行分类与级别划分" only)
DEFAULT_LEVELS = [
    ("I", "Ⅰ级（特别重大）", "影响全公司或大量客户，需集团领导小组统一指挥"),
    ("II", "Ⅱ级（重大）", "影响一个子公司或多个案场，需应急领导小组指挥"),
    ("III", "Ⅲ级（较大）", "影响一个案场或一条服务渠道，由应急指挥中心处置"),
    ("IV", "Ⅳ级（一般）", "影响少数客户，由客服应急小组处置"),
]

# power → role slot keys (the clause each follows)
DEFAULT_POWERS = {
    # "应急领导小组接到报告后,应立即启动应急预案" (002 客服内部应急预案); "应急指挥中心启动相应级别的应急响应" (002 客服应急预案)
    "activate": ["leadership.leader", "command.director", "site_leadership.leader"],
    # "应急指挥部根据突发事件性质和影响范围,确定应急响应级别" (002 客服内部应急预案)
    "set_level": ["leadership.leader", "command.director", "site_leadership.leader"],
    # "应急指挥中心负责对外发布应急信息,确保信息的准确性和及时性" (002 客服应急预案)
    "publish": ["command.director"],
    # "应急指挥中心评估事件影响,决定是否解除应急状态"; "应急领导小组根据突发事件处理情况,决定是否结束应急响应" (002)
    "lift": ["leadership.leader", "command.director", "site_leadership.leader"],
}

# "应急预案属于公司机密文件,全体员工要严格遵守保密要求,不得擅自泄露应急预案内容。" (003 接待应急预案 八)
DEFAULT_CONFIDENTIALITY = "confidential"
DEFAULT_READER_ROLES = ["admin", "executive", "cs_manager"]

# ---------------------------------------------------------------- EMG-6 plan templates

_REPORT = (
    "发现突发事件后,立即向应急领导小组报告。报告内容包括:事件发生时间、地点、类型、影响范围等。",
    "liaison.liaison",
    None,
    f"{S002_SITE} 四、1",
)
_ACTIVATE = (
    "应急管理人员应在紧急事件发生后30分钟内启动应急响应,保证与客户的联系畅通。",
    "command.director",
    30,
    S003_CS,
)
_PUBLISH = (
    "通过官方网站、微信公众号、电话等渠道,及时向客户发布突发事件相关信息,避免谣言传播。",
    "command.director",
    None,
    f"{S002_SITE} 四、4",
)
_CHANNELS = (
    "如需调整客服渠道,确保客户可以通过其他渠道获得服务。如需增加客服人员,及时调配人员上岗。",
    "site_team.leader",
    None,
    f"{S002_SITE} 四、3",
)
_COMFORT = (
    "客服专员按照预案要求,对现场客户进行安抚、解释和引导。如有客户投诉,及时记录投诉内容,并按照公司规定进行处理。",
    "site_team.member",
    None,
    f"{S002_SITE} 四、5",
)
_RECOVER = (
    "应急处置小组在解决问题后,向应急指挥中心报告恢复情况;应急指挥中心评估事件影响,决定是否解除应急状态。",
    "command.director",
    None,
    f"{S002_CS} 三、4",
)
_REVIEW = (
    "事件结束后,应急领导小组组织相关部门进行调查,分析事件原因,提出改进措施。",
    "leadership.leader",
    None,
    f"{S002_SITE} 四、6",
)


def _wrap(*middle):
    return [_REPORT, _ACTIVATE, *middle, _RECOVER, _REVIEW]


# plan type → (title, runbook card, steps)
PLAN_TEMPLATES = {
    "system_failure": (
        "网络故障导致客服系统无法正常使用应急预案",
        "系统或网络故障：立即报告部门负责人；改用备用渠道受理，记录客户诉求；统一口径告知客户预计恢复时间。",
        _wrap(
            ("确保客户信息安全和系统稳定运行。", "handling.tech", None, f"{S002_INNER} 三、(2) 措施第一项"),
            (
                "发现设备故障时,立即启动应急预案,尽快恢复设备运行。",
                "handling.tech",
                None,
                f"{S002_CENTRE} 五、3",
            ),
            _CHANNELS,
            _PUBLISH,
        ),
    ),
    "data_leak": (
        "客户信息泄露或被恶意攻击应急预案",
        "客户信息泄露：立即报告，不得私下回应或转发；保留证据；对外说明一律由应急指挥中心发布。",
        _wrap(
            ("确保客户信息安全和系统稳定运行。", "handling.tech", None, f"{S002_INNER} 三、(2) 措施第一项"),
            ("加强与客户沟通,及时回应客户诉求。", "handling.cs", None, f"{S002_INNER} 三、(2) 措施第二项"),
            (
                "及时向上级领导汇报应急处理情况。",
                "command.director",
                None,
                f"{S002_INNER} 三、(2) 措施第四项",
            ),
            _PUBLISH,
        ),
    ),
    "complaint_surge": (
        "客户投诉量激增应急预案",
        "投诉激增：按指令增援坐席；逐一记录投诉；使用统一答复口径；重大投诉即时上报。",
        _wrap(
            _CHANNELS,
            ("加强与客户沟通,及时回应客户诉求。", "handling.cs", None, f"{S002_INNER} 三、(2) 措施第二项"),
            ("优化客服流程,提高服务效率。", "command.director", None, f"{S002_INNER} 三、(2) 措施第三项"),
            _COMFORT,
            _PUBLISH,
        ),
    ),
    "staff_illness": (
        "客服人员突发疾病或紧急事务应急预案",
        "同事突发疾病：立即报告当班主管并拨打急救电话；主管安排顶岗，保证坐席不断线。",
        _wrap(
            (
                "发生人员伤亡事件时,应立即拨打急救电话,进行紧急救护。",
                "site_team.leader",
                None,
                f"{S003_RECEPTION} 四、4",
            ),
            _CHANNELS,
        ),
    ),
    "natural_disaster": (
        "自然灾害应急预案",
        "自然灾害：关注预警，听从撤离指令，先保人身安全；恢复后按指令恢复服务。",
        _wrap(
            ("密切关注气象预警信息,提前做好防范措施。", "command.director", None, f"{S002_CENTRE} 五、1(1)"),
            (
                "确保客服中心安全设施完好,提高抗灾能力。",
                "specialist.specialist",
                None,
                f"{S002_CENTRE} 五、1(2)",
            ),
            (
                "通知全体员工立即停止工作,按照指定路线有序撤离到指定安全区域。",
                "leadership.leader",
                None,
                f"{S003_RECEPTION} 二、1",
            ),
            _PUBLISH,
        ),
    ),
    "public_security": (
        "社会安全事件应急预案",
        "社会安全事件：保持冷静，保护自身和客户安全，不围观不传播；报告主管并配合相关部门。",
        _wrap(
            (
                "加强与相关部门的沟通协调,及时了解事件进展。",
                "command.director",
                None,
                f"{S002_CENTRE} 五、2(1)",
            ),
            ("确保客服中心人员安全,防止事件扩大。", "specialist.specialist", None, f"{S002_CENTRE} 五、2(2)"),
        ),
    ),
    "equipment_failure": (
        "设备故障应急预案",
        "设备故障：立即报告；改用备用设备；记录故障现象和时间。",
        _wrap(
            (
                "发现设备故障时,立即启动应急预案,尽快恢复设备运行。",
                "handling.tech",
                None,
                f"{S002_CENTRE} 五、3(2)",
            ),
            _CHANNELS,
        ),
    ),
    "casualties": (
        "人员伤亡应急预案",
        "人员伤亡：立即拨打急救电话，组织救治；保护现场；报告主管。",
        _wrap(
            ("及时组织救治伤员,确保人员安全。", "specialist.specialist", None, f"{S002_CENTRE} 五、4(1)"),
            (
                "发生人员伤亡事件时,应立即拨打急救电话,进行紧急救护,并配合相关部门进行事故调查和处理。",
                "site_team.leader",
                None,
                f"{S003_RECEPTION} 四、4",
            ),
            ("对伤亡事件进行调查分析,制定预防措施。", "leadership.leader", None, f"{S002_CENTRE} 五、4(2)"),
        ),
    ),
    "fire": (
        "火灾应急预案",
        "火灾：立即报警，使用灭火器初期扑救；按指定路线疏散客户和同事；不乘电梯。",
        _wrap(
            (
                "发生火灾时,应立即启动疏散演练,并及时报警和使用灭火器进行初期扑救。",
                "specialist.specialist",
                None,
                f"{S003_RECEPTION} 四、1",
            ),
            (
                "通知全体员工立即停止工作,按照指定路线有序撤离到指定安全区域。",
                "leadership.leader",
                None,
                f"{S003_RECEPTION} 二、1",
            ),
        ),
    ),
    "outage": (
        "水灾及停水停电停气应急预案",
        "水灾或停水停电：关闭电源和燃气阀门，疏散到安全地带；改用备用渠道服务客户。",
        _wrap(
            (
                "发生水灾时,应立即关闭电源和燃气阀门,迅速疏散到安全地带,并避免涉水行走。",
                "specialist.specialist",
                None,
                f"{S003_RECEPTION} 四、3",
            ),
            _CHANNELS,
            _PUBLISH,
        ),
    ),
    "food_poisoning": (
        "食物中毒应急预案",
        "疑似食物中毒：立即拨打急救电话；保留可疑食物；登记就餐人员；报告主管。",
        _wrap(
            (
                "发生人员伤亡事件时,应立即拨打急救电话,进行紧急救护,并配合相关部门进行事故调查和处理。",
                "site_team.leader",
                None,
                f"{S003_RECEPTION} 四、4",
            ),
            ("保留可疑食物及餐具，登记就餐人员名单，交相关部门调查。", "specialist.specialist", None, ""),
        ),
    ),
    "crime": (
        "发现正在实施的犯罪应急预案",
        "发现犯罪：先保生命安全；用对讲机通知当值秩序领班；疏散人员远离现场；记录嫌疑人特征和逃走方向；保护现场。",
        [
            _REPORT,
            (
                "保证生命安全的情况下,阻止犯罪行为的继续发生。对正在实施犯罪的人进行隔离。",
                "site_team.member",
                None,
                f"{S002_NEW} 1、1",
            ),
            ("通知离现场最近的当值秩序领班马上赶到犯罪现场。", "site_team.member", None, f"{S002_NEW} 1、2"),
            (
                "秩序部在保证生命安全的情况下使犯罪行为停止下来,避免造成更大的损失。客服部通知秩序部管理人员由项目客户较少的区域把犯罪嫌疑人带回秩序管理部。",
                "site_team.leader",
                None,
                f"{S002_NEW} 1、3",
            ),
            (
                "避免犯罪嫌疑人在去秩序管理部的途中毁灭证据,应注意保留证据。",
                "site_team.leader",
                None,
                f"{S002_NEW} 1、4",
            ),
            (
                "在认为对生命构成威胁的情况下,应在远处仔细观察,在相对安全处,用对讲机通知当值秩序领班、由当值秩序领班派人到现场协助。",
                "site_team.member",
                None,
                f"{S002_NEW} 1、5",
            ),
            (
                "通知人员远离犯罪现场。配合秩序部仔细记录或录像犯罪的过程,犯罪人的特征、人数、衣着、武器、逃走方向等。用物品围起犯罪现场,并做好巡查。",
                "site_team.member",
                None,
                f"{S002_NEW} 1、6",
            ),
            (
                "尽量减少对项目售楼中心客户的影响,为破案尽可能多的提供线索。案件发生后,要立即通知秩序部对现场进行封锁,防止现场遭破坏,给破案带来困难。",
                "site_leadership.leader",
                None,
                f"{S002_NEW} 1、7",
            ),
            _REVIEW,
        ],
    ),
    "suspicious_object": (
        "发现可疑、爆炸物品应急预案",
        "发现可疑物品：不触碰、不移动；疏散周围客户；立即报告并报警。",
        _wrap(
            ("不触碰、不移动可疑物品，疏散周围人员并设置警戒，立即报警。", "site_team.member", None, ""),
        ),
    ),
    "lost_property": (
        "发现项目客户遗留物品应急预案",
        "客户遗留物品：不得私自处理；当场登记到失物招领登记簿；交主管保管；认领时核对身份并签收。",
        [
            (
                "发现客户遗留物品后，当场登记到失物招领登记簿：物品名称与特征、发现时间地点、发现人。",
                "site_team.member",
                None,
                "",
            ),
            ("遗留物品交客服主管妥善保管，能联系到客户的及时通知客户认领。", "site_team.leader", None, ""),
            ("客户认领时核对身份与物品特征，在失物招领登记簿上签收。", "site_team.leader", None, ""),
        ],
    ),
    "injured_customer": (
        "售楼中心客户受伤或生病处理应急预案",
        "客户受伤或生病：立即上前询问并报告主管；需要时拨打急救电话；安抚陪同人员；记录经过。",
        _wrap(
            (
                "发生人员伤亡事件时,应立即拨打急救电话,进行紧急救护,并配合相关部门进行事故调查和处理。",
                "site_team.leader",
                None,
                f"{S003_RECEPTION} 四、4",
            ),
            _COMFORT,
        ),
    ),
    "delivery_vehicle": (
        "送货车辆故障应急预案",
        "送货车辆故障：送货员立即通知部门负责人，说明详细地点并保持通讯；有人员伤亡的先组织抢救。",
        [
            (
                "送货车辆在送货途中出现故障,送货员要立即通知部门负责人,说明送货车辆故障发生的详细地点,并随时保持通讯联系。",
                "site_team.member",
                None,
                f"{S003_STD} 4.1.1",
            ),
            (
                "供应部应该立即安排备用送货车辆迅速前往接替,恢复正常送货,并安排对故障车辆及时进行维修,保证送货通道安全通畅。",
                "handling.marketing",
                None,
                f"{S003_STD} 4.1.1",
            ),
            (
                "送货车辆故障如是交通安全事故造成的,未造成人员伤亡的,要立即派人前往处理交通事故,尽快恢复对客户送货;如造成人员伤亡的,现场负责人员要立即组织抢救,并请示领导决定调整送货时间。",
                "command.director",
                None,
                f"{S003_STD} 4.1.2",
            ),
            (
                "办公室必须备有本区客户的详细档案(电子或书面),并有安全备份,以便在实施应急措施时及时联系客户。",
                "liaison.liaison",
                None,
                f"{S003_STD} 4.1.3",
            ),
            _REVIEW,
        ],
    ),
    "severe_weather": (
        "阴恶性天气变化应急预案",
        "恶劣天气：每日查看三日天气预报；接到暂停或变更服务的决定后电话通知客户；恢复后安排补货。",
        [
            (
                "销售部、办公室、采购部应每日查询本地区三日内天气预报,向员工发布,对阴恶性天气要重点做好提醒工作。",
                "liaison.liaison",
                None,
                f"{S003_STD} 4.2.3",
            ),
            _ACTIVATE,
            (
                "因台风、暴雨、强降雪等阴恶天气引发局部巨大灾害的,无法对客户提供货源供应服务的,由办事处办公室研究决定暂停、变更和恢复服务的时间、地点,并通过电话通知客户。",
                "command.director",
                None,
                f"{S003_STD} 4.2.1",
            ),
            (
                "办公室、采购部、销售部必须备有所属工作人员的全部通讯联系电话,以便相关应急措施得到及时落实。",
                "liaison.liaison",
                None,
                f"{S003_STD} 4.2.4",
            ),
            (
                "一旦影响提供货源供应服务的状态消除,向客户提供补货。",
                "handling.marketing",
                None,
                f"{S003_STD} 4.2.2",
            ),
            _REVIEW,
        ],
    ),
    "quality_problem": (
        "巨大服务质量问题应急预案",
        "重大质量问题：30分钟内通知办公室主管；立即回应客户；售后服务人员24小时内到现场，客户满意后方可离开。",
        [
            (
                "遇有突发或巨大服务质量问题的信息,应在30分钟内通知办公室主管。",
                "handling.cs",
                30,
                f"{S003_STD} 3.2.1",
            ),
            (
                "销售部及办公室立即召集应急预案小组成员举行会议,通报情况,研究应对措施,并将责任落实到相关部门。",
                "command.director",
                None,
                f"{S003_STD} 4.3.1",
            ),
            (
                "根据会议要求,有相关责任部门启用解决预案,对咨询或者投诉的客户立即作出回应。售后服务人员保证24小时内到现场解决。",
                "handling.cs",
                1440,
                f"{S003_STD} 4.3.2",
            ),
            (
                "质量问题涉及到生产部的,相关部门要随时提供技术参数和资料,以便现场服务人员能够确凿、快速地解决问题。",
                "handling.tech",
                None,
                f"{S003_STD} 4.3.3",
            ),
            (
                "在服务过程中,要征求客户意见,制定客户满意的技术方案。免费提供技术、人员和工具处置巨大服务质量问题,并给予客户以技术指导,技术指导不明白不准离开现场,待用户满意后,方可离开现场。",
                "handling.tech",
                None,
                f"{S003_STD} 4.3.4",
            ),
            _REVIEW,
        ],
    ),
    "emergency_order": (
        "客户突发性产品需求（应急订单）预案",
        "应急订单：先核对客户资格（守法、合格）；报管理层批准后通知供应部；技术人员随货到现场。",
        [
            (
                "因突发性产品需求涉及到的临时补货,只对守法、合格的客户。",
                "handling.cs",
                None,
                f"{S003_STD} 4.4.1",
            ),
            (
                "对于突发性产品需求,应该由办公室及时上报到公司管理层,由公司管理层批准后,及时向供应部发出通知,争取在最短时间内将客户所需产品送达,并且应急小组的专业技术人员要随同产品及时到达现场。",
                "leadership.leader",
                None,
                f"{S003_STD} 4.4.3",
            ),
            (
                "工作人员到达现场之后,要与客户沟通,制定客户满意的技术方案。",
                "handling.tech",
                None,
                f"{S003_STD} 4.4.4",
            ),
            (
                "当产品部分需要更换时,根据用户通知,公司要及时派有经验的技术人员联系指导处理产品如:洗涤、整烫要求等,必要时到现场,指导用户满意为止。",
                "handling.tech",
                None,
                f"{S003_STD} 4.4.5",
            ),
        ],
    ),
}


def slot_label(key: str) -> str:
    """ "command.director" → "应急指挥中心·主任" (the key itself when no template names it)."""
    kind, _, code = (key or "").partition(".")
    template = BODY_TEMPLATES.get(kind)
    if template is None:
        return key
    title = next((t for c, t, _post in template[1] if c == code), code)
    return f"{template[0]}·{title}"


SLOT_KEYS = frozenset(
    f"{kind}.{code}" for kind, (_n, slots, _s) in BODY_TEMPLATES.items() for code, _t, _p in slots
)
