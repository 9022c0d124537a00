"""The case kinds shipped with kefu (CASE-1), offered to every unit; subsidiaries add their own.

Models are passed in so the data migration can use this too. Extra fields follow the seeds: a
suggestion records its proposer and time; the internal 《咨询问题反馈表》 records what kind of item it
is; a rescue records what kind of rescue.
"""

TEXT = "text"

KINDS = [
    # code, family, 名称, English, extra fields
    ("consultation", "consultation", "咨询", "Consultation", []),
    ("complaint", "complaint", "投诉", "Complaint", []),
    (
        "suggestion",
        "suggestion",
        "意见建议",
        "Suggestion",
        [{"name": "proposer", "label": "提出人", "type": TEXT, "required": False}],
    ),
    ("feedback", "feedback", "反馈", "Feedback", []),
    (
        "help_request",
        "help_request",
        "求助",
        "Help request",
        [{"name": "topic", "label": "求助事项", "type": "choice", "choices": ["失物", "突发疾病", "其他"]}],
    ),
    ("repair", "repair", "报修", "Repair", [{"name": "location", "label": "报修地点", "type": TEXT}]),
    ("service_request", "service_request", "业务受理", "Service request", []),
    (
        "rescue",
        "rescue",
        "24小时救援",
        "24h rescue",
        [
            {
                "name": "rescue_type",
                "label": "救援类型",
                "type": "choice",
                "choices": ["法律", "交通", "医疗", "其他"],
                "required": True,
            }
        ],
    ),
    (
        "internal_report",
        "internal_report",
        "咨询问题反馈表",
        "Internal problem report",
        [
            {
                "name": "item",
                "label": "反馈类别",
                "type": "choice",
                "choices": ["问题与解答", "运营问题与解决方案", "投诉与处理结果", "流程建议与预期效果"],
                "required": True,
            }
        ],
    ),
    ("important_event", "important_event", "重要事件", "Important event", []),
    # HRD-1 逾期报备: recorded on its own form with its report (cases/actions/hardship.py)
    ("hardship", "service_request", "逾期报备", "Hardship report", []),
]


def apply(CaseKind) -> None:
    for order, (code, family, name, name_en, fields) in enumerate(KINDS):
        CaseKind.objects.get_or_create(
            unit=None,
            code=code,
            defaults={
                "family": family,
                "name": name,
                "name_en": name_en,
                "fields": fields,
                "ordering": order * 10,
            },
        )
