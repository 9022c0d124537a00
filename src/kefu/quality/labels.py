"""How the quality app's risk factors and decision inputs read (zh-Hans / English)."""

from kefu.core import decisions

RISK = {
    "complaint": ("投诉", "complaint"),
    "reopened": ("重开", "reopened"),
    "breached": ("超时", "deadline missed"),
    "long_handling": ("处理时长过长", "long handling"),
    "low_csat": ("客户不满意", "customer not satisfied"),
}


def risk_text(codes) -> str:
    return "、".join(RISK.get(c, (c, c))[0] for c in codes)


def register() -> None:
    decisions.describe(
        inputs={
            "sample_week": ("抽样周（周一）", "sampled week (Monday)"),
            "published_at": ("发布时间", "published at"),
            "appeal_until": ("申诉截止", "appeal until"),
        },
        values={
            # the recordings' types as the audit page shows them (a call recording is a case attachment)
            "content_type": {
                "audio/wav": ("WAV 录音", "WAV recording"),
                "audio/mpeg": ("MP3 录音", "MP3 recording"),
                "audio/ogg": ("OGG 录音", "OGG recording"),
                "audio/mp4": ("M4A 录音", "M4A recording"),
                "audio/aac": ("AAC 录音", "AAC recording"),
                "audio/amr": ("AMR 录音", "AMR recording"),
            }
        },
    )


def register_appraisal() -> None:
    """APR-1: how the appraisal's audited fields and decision inputs read."""
    decisions.describe(
        inputs={
            "points": ("得分", "points"),
            "total": ("总分", "total"),
            "rank": ("排名", "rank"),
            "outstanding": ("优秀员工", "outstanding"),
            "outstanding_count": ("优秀名额", "outstanding places"),
            "below": ("低于达标分", "below the threshold"),
            "rounds_missed": ("辅导后未达标轮数", "later rounds below"),
            "round": ("考核", "appraisal round"),
            "note": ("记录", "note"),
            "appraisal_period": ("考核周期", "appraisal period"),
            "appraisal_scheme": ("考核方案", "appraisal scheme"),
            "appraisal_items": ("考核项", "appraisal items"),
        }
    )
