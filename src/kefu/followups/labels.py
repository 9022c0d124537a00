"""How the audit log and the "为什么" panel name the revisits' and customer care's inputs and coded
values (issue 13)."""

from kefu.core import decisions
from kefu.followups.models import AnswerSource, Outcome, Rating, RevisitAttempt, Trigger

TRIGGERS = {
    Trigger.RESOLUTION: ("解决后回访", "after resolution"),
    Trigger.COMPLAINT: ("每次投诉后回访", "after every complaint"),
    Trigger.PERIODIC: ("按客户级别定期回访", "periodic by tier"),
    Trigger.ARRIVAL: ("发货后到货跟踪回访", "arrival follow-up after shipment"),
}
OUTCOMES = {
    Outcome.SATISFIED: ("满意", "satisfied"),
    Outcome.UNSATISFIED: ("不满意", "not satisfied"),
    Outcome.UNREACHABLE: ("无法联系", "unreachable"),
}
METHODS = {
    RevisitAttempt.Method.PHONE: ("电话", "phone"),
    RevisitAttempt.Method.EMAIL: ("邮件", "e-mail"),
    RevisitAttempt.Method.TEXT: ("短信", "text message"),
    RevisitAttempt.Method.VISIT: ("上门", "visit"),
}

CHANNELS = {
    "email": ("邮件", "e-mail"),
    "sms": ("短信", "text message"),
    "status_page": ("工单查询页", "status page"),
}
SOURCES = {
    AnswerSource.LINK: ("调查链接", "survey link"),
    AnswerSource.STATUS_PAGE: ("工单查询页", "status page"),
    AnswerSource.PHONE: ("电话调查", "phone survey"),
    AnswerSource.REVISIT: ("回访答复", "revisit answer"),
}
RATINGS = {
    Rating.SATISFIED: ("满意", "satisfied"),
    Rating.NEUTRAL: ("一般", "neutral"),
    Rating.UNSATISFIED: ("不满意", "not satisfied"),
}


OCCASIONS = {
    "chunjie": ("春节", "Spring Festival"),
    "yuanxiao": ("元宵节", "Lantern Festival"),
    "qingming": ("清明节", "Qingming Festival"),
    "duanwu": ("端午节", "Dragon Boat Festival"),
    "zhongqiu": ("中秋节", "Mid-Autumn Festival"),
    "birthday": ("生日", "birthdays"),
}
WEEKEND = {True: ("是", "yes"), False: ("否", "no")}


def register() -> None:
    decisions.describe(
        inputs={
            "revisit_trigger": ("回访方案", "revisit plan"),
            "revisit_kinds": ("解决后回访的工单类型", "case kinds revisited"),
            "revisit_officer": ("回访专员", "revisit officer"),
            "revisit_officers": ("在岗回访专员人数", "revisit officers"),
            "revisit_outcome": ("回访结果", "outcome"),
            "revisit_method": ("回访方式", "method"),
            "revisit_tries": ("已尝试次数", "tries"),
            "revisit_retries": ("可重试次数", "retries"),
            "third_party": ("第三方接听", "third party"),
            "case_number": ("工单编号", "case number"),
            "survey_channel": ("调查链接发送方式", "survey link sent by"),
            "survey_source": ("回答来源", "answer source"),
            "survey_overall": ("总体评价", "overall"),
            "survey_expires": ("链接有效期至", "link valid until"),
            "survey_version": ("问卷版本", "questionnaire version"),
            "supervisor": ("主管", "supervisor"),
            "ratings": ("各项评价", "ratings"),
            "replaced": ("替换此前的回答", "replaced earlier answers"),
            "items": ("问卷题目", "questionnaire items"),
            "shipment": ("发货单号", "shipment reference"),
            "carrier": ("承运商", "carrier"),
            "revisit_campaign": ("回访活动", "revisit campaign"),
            "care_occasion": ("节日", "occasion"),
            "greetings_late": ("迟到条数", "late"),
            "greetings_missed": ("未送达条数", "missed"),
            "greetings_refused": ("未能发送人数", "not sent"),
            "gift_count": ("礼品份数", "gifts"),
            "gift_total": ("合计金额（元）", "total (yuan)"),
            "events_held": ("当月活动期数", "events that month"),
            "event_weekend": ("周六、周日举办", "on a Saturday and Sunday"),
        },
        values={
            "revisit_trigger": TRIGGERS,
            "revisit_outcome": OUTCOMES,
            "revisit_method": METHODS,
            "survey_channel": CHANNELS,
            "survey_source": SOURCES,
            "survey_overall": RATINGS,
            "care_occasion": OCCASIONS,
            "event_weekend": WEEKEND,
        },
    )
