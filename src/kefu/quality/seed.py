"""The group's default scorecard and sampling plan (QA-1), created by a data migration and editable on
the configuration page (each change a new version). The service-language items quote seed 004 篇一
exactly; their weights and maxima are this system's defaults (本系统默认值), not from the policies."""

SCORECARD_NAME = "集团默认质检评分表"

# (name, weight, max score, fatal, description)
DEFAULT_ITEMS = [
    ("十字服务用语", 20, 10, False, "应使用“十字服务用语”(您好、请、谢谢、对不起、再见)"),
    ("三声服务", 20, 10, False, "做到“三声服务”(来有迎声,问有答声,走有送声)"),
    (
        "六不准",
        0,
        0,
        True,
        "遵守燃气服务“六不准”。即不准乱收费、不准以气谋私、不准私接私装燃气设施、不准要求客户以工代劳、"
        "不准对客户不礼貌、不准要挟、刁难客户。",
    ),
    ("问题解决", 25, 10, False, "客户的问题是否得到解决，方案是否明确可行"),
    ("处理及时性", 20, 10, False, "是否在时限内响应、处理与答复客户"),
    ("答复准确性", 15, 10, False, "答复内容、政策与信息是否准确，记录是否完整"),
]

# risk factor → weight; a case's risk is the sum of the weights of the factors it shows
DEFAULT_RISK_WEIGHTS = {"complaint": 3, "reopened": 2, "breached": 2, "long_handling": 1, "low_csat": 3}


def apply(Scorecard, ScorecardItem, SamplingPlan, now) -> None:
    """Create the group default scorecard (version 1) and sampling plan when missing (works in
    migrations: the models are passed in)."""
    if not Scorecard.objects.filter(unit__isnull=True).exists():
        card = Scorecard.objects.create(
            unit=None, name=SCORECARD_NAME, version=1, active=True, created_at=now
        )
        for position, (name, weight, max_score, fatal, description) in enumerate(DEFAULT_ITEMS):
            ScorecardItem.objects.create(
                scorecard=card,
                position=position,
                name=name,
                weight=weight,
                max_score=max_score,
                fatal=fatal,
                description=description,
            )
    if not SamplingPlan.objects.filter(unit__isnull=True).exists():
        SamplingPlan.objects.create(unit=None, risk_weights=dict(DEFAULT_RISK_WEIGHTS), updated_at=now)


# APR-1: the group's default appraisal scheme, one per period kind (月度 / 季度, seed 001 "设置月度和季度绩效考核").
# Its items follow seed 001 ("根据客户满意度、投诉率等情况进行评分", "客户满意度、问题解决率、工作效率"); the
# choice of items and their weights are this system's defaults (本系统默认值), not from the policies.
SCHEME_NAMES = {"month": "集团默认月度考核方案", "quarter": "集团默认季度考核方案"}
# (kind, KPI code, name, weight, description)
SCHEME_ITEMS = [
    ("kpi", "satisfaction", "客户满意度", 25, "按客户评价计算的满意度，对照考核目标"),
    ("kpi", "resolution_rate", "问题解决率", 15, "受理工单中已解决的比例，对照考核目标"),
    ("kpi", "on_time_closure", "按时结案率", 10, "结案工单中未超时的比例（工作效率）"),
    ("kpi", "complaint_rate", "投诉率", 10, "受理工单中投诉的比例，越低越好"),
    ("qa", "", "质检得分", 20, "本期已定稿质检的平均分"),
    ("manual", "", "工作态度", 10, "服务态度、责任心，由主管评分"),
    ("manual", "", "劳动纪律", 10, "出勤、仪容仪表与岗位纪律，由主管评分"),
]


def apply_appraisal(AppraisalScheme, AppraisalItem, now) -> None:
    """Create the group's default appraisal schemes (version 1) when missing (models passed in)."""
    for period_kind, name in SCHEME_NAMES.items():
        if AppraisalScheme.objects.filter(unit__isnull=True, period_kind=period_kind).exists():
            continue
        scheme = AppraisalScheme.objects.create(
            unit=None,
            period_kind=period_kind,
            name=name,
            version=1,
            active=True,
            system_default=True,
            created_at=now,
        )
        for position, (kind, code, item_name, weight, description) in enumerate(SCHEME_ITEMS):
            AppraisalItem.objects.create(
                scheme=scheme,
                position=position,
                kind=kind,
                kpi_code=code,
                name=item_name,
                weight=weight,
                description=description,
            )
