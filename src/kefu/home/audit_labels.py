"""Audit events as people read them on /audit/ (issue 13): a transition by its lifecycle's label, other
actions by name, one no one named as a generic description, never as the raw key; object types, fields,
coded values and origins in words (below)."""

import json
import re
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import translation
from django.utils.html import conditional_escape, format_html

from kefu.core import decisions
from kefu.engine.workflow.declare import chain, lifecycle_for

ACTIONS: dict[str, tuple[str, str]] = {
    # EMG-1…EMG-3, EMG-5, RES-1, WX-1, FEE-1 (issue 17)
    "emergency.plan.create": ("新建应急预案", "emergency plan created"),
    "emergency.plan.version": ("发布应急预案版本", "plan version issued"),
    "emergency.plan.acknowledge": ("确认已阅应急预案", "plan acknowledged"),
    "emergency.plan.revision": ("布置预案修订任务", "plan revision assigned"),
    "emergency.plan.revision_done": ("完成预案修订", "plan revision done"),
    "emergency.body.create": ("建立应急组织", "emergency body formed"),
    "emergency.body.bind": ("指定应急岗位人", "role slot bound"),
    "emergency.levels.set": ("设置响应级别", "response levels set"),
    "emergency.surge_detected": ("发现投诉激增", "complaint surge detected"),
    "emergency.surge_acknowledged": ("确认激增告警", "surge alert acknowledged"),
    "emergency.resource.register": ("登记应急物资", "resource registered"),
    "emergency.resource.inspect": ("检查应急物资", "resource inspected"),
    "emergency.resource.move": ("应急物资出入库", "resource stock moved"),
    "emergency.weather.forecasts": ("录入天气预报", "forecast entered"),
    "emergency.weather.publish": ("发布天气简报", "weather bulletin published"),
    "emergency.fees.quote": ("出具预案编制报价", "fee quote issued"),
    # EMG-4, EMG-5 incidents (issue 17)
    "emergency.incident.report": ("报告突发事件", "incident reported"),
    "emergency.incident.triage": ("研判突发事件", "incident triaged"),
    "emergency.incident.activate": ("启动应急响应", "response activated"),
    "emergency.incident.level": ("确定响应级别", "response level set"),
    "emergency.incident.task": ("更新处置清单", "checklist item updated"),
    "emergency.incident.task_assign": ("指派处置任务", "checklist item assigned"),
    "emergency.incident.resource": ("登记动用物资", "resource used"),
    "emergency.incident.change": ("调整人员或渠道", "staffing or channel change"),
    "emergency.incident.publish": ("对外发布信息", "notice published"),
    "emergency.incident.recover": ("提交恢复报告", "recovery reported"),
    "emergency.incident.lift": ("解除应急状态", "emergency lifted"),
    "emergency.incident.review": ("事件复盘", "incident reviewed"),
    "emergency.incident.archive": ("事件归档", "incident archived"),
    "emergency.incident.acknowledge": ("确认事件告警", "incident alert acknowledged"),
    "emergency.incident.breach": ("超时未启动应急响应", "activation deadline missed"),
    "emergency.incident.photo": ("上传现场照片", "photo uploaded"),
    # DRL-1 emergency drills (issue 17)
    "emergency.drill.schedule": ("安排应急演练", "schedule a drill"),
    "emergency.drill.reschedule": ("应急演练改期", "reschedule a drill"),
    "emergency.drill.cancel": ("取消应急演练", "cancel a drill"),
    "emergency.drill.held": ("登记演练实施", "record a drill held"),
    "emergency.drill.evaluate": ("评估应急演练", "evaluate a drill"),
    "emergency.drill.action": ("登记演练整改措施", "add a drill corrective action"),
    "emergency.drill.action_close": ("关闭演练整改措施", "close a drill corrective action"),
    # VEN-1 outsourced customer-service vendor filings (issue 18)
    "vendors.filing.create": ("登记外包客服备案", "vendor filing entered"),
    "vendors.material.add": ("上传备案材料", "filing material uploaded"),
    "vendors.filing.submit": ("提交备案申请", "filing submitted"),
    "vendors.supplement.request": ("要求补充备案材料", "supplement requested"),
    "vendors.supplement.answer": ("补充备案材料", "supplement answered"),
    "vendors.supplement.expire": ("逾期未补正，退回备案", "filing returned: supplement overdue"),
    "vendors.filing.approve": ("批准备案", "filing approved"),
    "vendors.filing.reject": ("驳回备案", "filing rejected"),
    "vendors.certificate.issue": ("颁发备案证书", "certificate issued"),
    "vendors.certificate.lapse": ("备案证书失效", "certificate lapsed"),
    "vendors.report.submit": ("定期报送", "periodic report submitted"),
    "vendors.report.refuse": ("不予恢复备案", "late report not accepted"),
    "vendors.filing.reinstate": ("恢复备案", "filing reinstated"),
    "vendors.filing.lapse": ("逾期未报送，备案失效", "filing lapsed: report overdue"),
    "vendors.inspection.record": ("登记定期检查", "inspection recorded"),
    "workforce.template.save": ("保存班次", "shift saved"),
    "workforce.coverage.set": ("设置覆盖规则", "coverage rule set"),
    "workforce.rota.draft": ("生成排班表", "rota drafted"),
    "workforce.rota.feedback": ("排班表征求意见", "rota sent for comments"),
    "workforce.rota.final": ("排班表定稿", "rota finalised"),
    "workforce.rota.published": ("发布排班表", "rota published"),
    "workforce.rota.comment": ("排班意见", "rota comment"),
    "workforce.shift.call_in": ("紧急排班", "emergency call-in"),
    "workforce.feed.issue": ("生成日历订阅链接", "calendar link issued"),
    "workforce.change.request": ("申请调班", "shift change requested"),
    "workforce.change.approve": ("批准调班", "shift change approved"),
    "workforce.change.reject": ("驳回调班", "shift change rejected"),
    "cases.create": ("新建工单", "case created"),
    "cases.assign": ("分派工单", "case assigned"),
    "cases.transfer": ("转交工单", "case transferred"),
    "cases.comment": ("工单备注", "case comment"),
    "cases.closure_report": ("填写结案报告", "closure report"),
    "cases.handoff_send": ("工单交接", "case handoff"),
    "cases.call_record": ("记录来电接听", "call answered recorded"),
    "cases.quality_notice": (
        "通知办公室主管重大质量问题",
        "office supervisor told of a major quality problem",
    ),
    "cases.staff_caused": ("认定员工责任", "staff caused"),
    "cases.recurrence": ("判定重复发生", "recurrence found"),
    "cases.compensation_request": ("申请赔偿", "compensation requested"),
    "claims.register": ("客户报备", "claim registered"),
    "claims.deposit": ("登记定金", "deposit recorded"),
    "claims.dispute": ("提出撞单争议", "dispute raised"),
    "claims.report_submit": ("提交过程报告", "process report submitted"),
    "claims.plan_submit": ("提交销售方案", "sales plan submitted"),  # CLM-11
    "claims.rule": ("修改报备规则", "claim rule changed"),
    "claims.customer_choice": ("登记客户选择", "customer choice"),
    "customer.create": ("新建客户档案", "customer created"),
    "customer.update": ("修改客户档案", "customer updated"),
    "customers.specialist_skills": ("设置客服专员业务能力", "specialist skills set"),  # CUS-7
    "discipline.propose": ("提出处罚建议", "penalty proposed"),
    "followups.plan.set": ("设置回访方案", "revisit plan set"),
    "followups.task.open": ("生成回访任务", "revisit task opened"),
    "followups.task.hand_over": ("交接回访任务", "revisit task handed over"),
    "workforce.handover.open": ("开启交接", "handover opened"),
    "workforce.handover.confirm_leaver": ("交班确认", "handing over confirmed"),
    "workforce.handover.confirm_receiver": ("接班确认", "taking over confirmed"),
    "workforce.handover.uncovered": ("交接空岗", "post left uncovered"),
    "workforce.handover.liability": ("记录交接责任", "handover liability recorded"),
    "insights.report.draft": ("起草工作报告", "work report drafted"),  # RPT-1
    "insights.report.save": ("保存工作报告", "work report saved"),
    "insights.report.submit": ("提交工作报告", "work report submitted"),
    "insights.report.flag": ("工作报告逾期未交", "work report overdue"),
    "insights.service_report.create": ("编制客户服务报告", "service report started"),
    "insights.service_report.save": ("保存客户服务报告", "service report saved"),
    "insights.service_report.sign": ("签发客户服务报告", "service report signed off"),
    "insights.rectification.add": ("添加整改项", "rectification item added"),
    "insights.rectification.advance": ("整改项状态变更", "rectification item advanced"),
    "insights.rectification.overdue": ("整改项逾期", "rectification item overdue"),
    "workforce.attendance.clock_in": ("上班打卡", "clocked in"),
    "workforce.attendance.clock_out": ("下班打卡", "clocked out"),
    "workforce.attendance.import": ("导入考勤记录", "attendance imported"),
    "workforce.attendance.meeting": ("记录每日例会", "daily meeting recorded"),  # ATT-1
    "workforce.rota.publish": ("发布排班", "rota published"),
    "followups.attempt.record": ("记录回访", "revisit attempt recorded"),
    "followups.survey.issue": ("生成满意度调查链接", "survey link issued"),
    "followups.survey.answer": ("记录满意度调查回答", "survey answer recorded"),
    "followups.questionnaire.set": ("保存满意度问卷", "questionnaire saved"),
    "cases.satisfaction": ("记录客户满意度", "satisfaction recorded"),
    "followups.campaign.create": ("新建回访活动", "revisit campaign planned"),
    "followups.campaign.launch": ("发起回访活动", "revisit campaign launched"),
    "followups.campaign.repeat": ("按周期开始下一期回访活动", "next period of a repeating campaign opened"),
    "outbound.purged": ("清除发给客户的消息内容（销毁）", "outbound messages purged (destruction)"),
    "followups.greetings.plan": ("安排节日慰问", "greeting campaign planned"),
    "followups.greetings.start": ("开始发送慰问", "greeting campaign started"),
    "followups.greetings.batch": ("发送一批慰问", "greetings batch"),
    "followups.greetings.all_queued": ("慰问全部发出", "all greetings queued"),
    "followups.greetings.birthdays": ("发送生日慰问", "birthday greetings"),
    "followups.greetings.done": ("慰问完成", "greeting done"),
    "followups.gifts.create": ("新建礼品清单", "gift list opened"),
    "followups.gifts.add": ("添加礼品", "gift added"),
    "followups.gifts.remove": ("删除礼品", "gift removed"),
    "followups.gifts.submit": ("提交礼品清单审批", "gift list submitted"),
    "followups.tasks.hand_over": ("回访任务交接", "revisit task handed over"),
    "workforce.leave.request": ("提交休息申请", "leave requested"),
    "workforce.leave.hand_over": ("休息前工作交接", "work handed over before leave"),
    "followups.gifts.issue": ("登记礼品发放", "gift issued"),
    "followups.gifts.receipt": ("登记礼品签收", "gift receipt"),
    "followups.events.plan": ("安排文化交流活动", "event planned"),
    "followups.events.invite": ("邀请客户参加活动", "customers invited"),
    "followups.events.rsvp": ("客户答复活动邀请", "customer answered"),
    "followups.events.record": ("登记活动答复或出席", "answer or attendance recorded"),
    "followups.events.cancel": ("取消活动", "event cancelled"),
    "followups.events.gap": ("当月未举办文化交流活动", "month without an event"),
    "knowledge.article_created": ("新建知识文章", "article created"),
    "knowledge.article_edited": ("修改知识文章", "article edited"),
    "knowledge.article_published": ("发布知识文章", "article published"),
    "knowledge.digest_sent": ("发送知识周报", "knowledge digest sent"),
    "read.sensitive": ("查看敏感信息", "sensitive data read"),
    "workflow.escalate": ("逐级升级", "escalated"),
    "org.unit.create": ("新建组织单位", "unit created"),
    "org.unit.update": ("修改组织单位", "unit updated"),
    "org.employee.create": ("新建人员", "employee created"),
    "org.delegation.create": ("新建委托", "delegation created"),
    "org.employee.roles": ("调整人员角色", "roles changed"),
    "org.employee.update": ("修改人员信息", "employee updated"),
    "auth.password_change": ("修改密码", "password changed"),
    "mail.failed": ("邮件发送失败", "mail failed"),
    "mail.retry": ("邮件重试", "mail retried"),
    "quality.qcgroup.create": ("组建QC小组", "QC group formed"),  # QC-1
    "quality.qcgroup.registration_request": ("QC课题提交登记", "QC topic sent for registration"),
    "quality.qcgroup.register": ("QC课题注册登记", "QC topic registered"),
    "quality.qcgroup.stage": ("QC小组PDCA阶段", "QC group PDCA stage"),
    "quality.qcgroup.activity": ("QC小组活动记录", "QC group activity"),
    "quality.qcgroup.explain": ("QC小组原因说明", "QC group explanation"),
    "quality.training.course": ("新建培训课程", "course created"),  # TRN-1
    "quality.training.session": ("安排培训场次", "training session"),
    "quality.training.exam": ("设置考题", "exam set"),
    "quality.training.enrol": ("培训报名", "enrolled"),
    "quality.training.onboarding": ("安排入职培训", "onboarding started"),
    "quality.training.onboarding_cleared": ("入职考核通过", "onboarding passed"),
    "quality.training.attempt": ("参加考核", "exam taken"),
    "quality.scorecard.version": ("保存质检评分表新版本", "scorecard version saved"),  # QA-1
    "quality.plan.save": ("保存抽样方案", "sampling plan saved"),  # QA-1
    "quality.sampling.run": ("抽取质检样本", "inspection sample drawn"),  # QA-1
    "quality.inspection.assign": ("分配质检任务", "inspection assigned"),  # QA-1
    "quality.inspection.score": ("质检评分", "inspection scored"),  # QA-1
    "quality.inspection.publish": ("发布质检结果", "inspection published"),  # QA-1
    "quality.inspection.final": ("质检结果生效", "inspection final"),  # QA-1
    "quality.appraisal.scheme": ("保存考核方案新版本", "appraisal scheme version saved"),  # APR-1
    "quality.appraisal.open": ("开启绩效考核", "appraisal round opened"),  # APR-1
    "quality.appraisal.score": ("绩效考核评分", "appraisal item scored"),  # APR-1
    "quality.appraisal.publish": ("发布绩效考核结果", "appraisal results published"),  # APR-1
    "quality.coaching.met": ("辅导达到要求", "coaching requirement met"),  # APR-1
    "quality.coaching.missed": ("辅导后仍未达标", "still below after coaching"),  # APR-1
    "quality.coaching.note": ("记录辅导措施", "coaching note recorded"),  # APR-1
    "discipline.propose_reward": ("提出奖励建议", "reward proposed"),  # APR-1, DIS-1
    "discipline.confirm": ("人力确认奖惩建议", "proposal confirmed by HR"),  # DIS-1
    "discipline.reject": ("人力驳回奖惩建议", "proposal rejected by HR"),  # DIS-1
    "quality.appeal.file": ("提出质检申诉", "appeal filed"),  # QA-1
    "quality.appeal.rule": ("裁定质检申诉", "appeal ruled"),  # QA-1
    "quality.calibration.open": ("发起校准会", "calibration session opened"),  # QA-1
    "documents.policy.issue": ("发布制度", "policy issued"),  # DOC-1
    "documents.policy.version": ("发布制度新版本", "policy version issued"),  # DOC-1
    "documents.policy.acknowledge": ("确认已阅制度", "policy acknowledged"),  # DOC-1
    "documents.notice.publish": ("发布通知公告", "notice published"),  # DOC-1
    "documents.plan.create": ("编制工作计划", "plan drawn up"),  # DOC-1
    "documents.plan.item": ("新增计划事项", "plan item added"),  # DOC-1
    "documents.plan.progress": ("更新计划进度", "plan progress reported"),  # DOC-1
    "documents.suggestion.submit": ("提出合理化建议", "suggestion made"),  # DOC-1
    "documents.suggestion.review": ("评审合理化建议", "suggestion reviewed"),  # DOC-1
    "documents.suggestion.implement": ("合理化建议已实施", "suggestion implemented"),  # DOC-1
    "cases.hardship.report": ("记录逾期报备", "hardship report recorded"),  # HRD-1
    "cases.hardship.call": ("记录逾期报备致电", "hardship call logged"),  # HRD-1
    "catalogue.version.propose": ("提议价目变更", "catalogue change proposed"),  # PRC-1
    "catalogue.version.approve": ("批准价目变更", "catalogue change approved"),  # PRC-1
    "catalogue.version.reject": ("驳回价目变更", "catalogue change rejected"),  # PRC-1
    "catalogue.charge.create": ("按价目表收费", "charged from the catalogue"),  # PRC-1
    "orders.order.create": ("登记订单", "order recorded"),  # ORD-1
    "orders.order.confirm": ("客户确认订单", "order confirmed by the customer"),  # ORD-1
    "orders.order.release": ("财务核实到款放行", "payment verified, released"),  # ORD-1
    "orders.order.ship": ("登记发货并通知客户", "shipped, customer told"),  # ORD-1
    "orders.order.cancel": ("取消订单", "order cancelled"),  # ORD-1
    "orders.return.create": ("办理退货/换货", "return or exchange recorded"),  # ORD-1
    "orders.stock.set": ("调整库存", "stock set"),  # ORD-1
    "outbound.queued": ("给客户的消息排队发送", "message to the customer queued"),  # ORD-1 shipment notice
}
GENERIC = ("其他操作", "other action")


def _pick(pair: tuple[str, str]) -> str:
    return pair[1] if (translation.get_language() or "").startswith("en") else pair[0]


def action_label(action: str) -> str:
    """ "cases.case.accept" → "工单：受理"; a named action by its name; anything else generically."""
    if action in ACTIONS:
        return _pick(ACTIONS[action])
    model, _, transition = action.rpartition(".")
    lifecycle = lifecycle_for(model) if model.count(".") == 1 else None
    move = lifecycle.transition(transition) if lifecycle is not None else None
    if move is not None:
        return _pick((move.label_zh, move.label_en))
    return _pick(GENERIC)


# --- what an event is about and what it changed, as people read it (issue 13) ------------------------
# The stored rows keep their codes (`cases.case`, `walk_in`); only the page shows words. Coded values are
# read from the model's choices, the lifecycle's states, the escalation chain's levels and the decision
# labels the apps describe (kefu.core.decisions.describe); a code no one named is shown as code.
OBJECT_TYPES: dict[str, tuple[str, str]] = {
    "emergency.plan": ("应急预案", "emergency plan"),  # EMG-1
    "emergency.planversion": ("应急预案版本", "plan version"),  # EMG-1
    "emergency.revisiontask": ("预案修订任务", "plan revision task"),  # EMG-1
    "emergency.body": ("应急组织", "emergency body"),  # EMG-2
    "emergency.slot": ("应急组织岗位", "role slot"),  # EMG-2
    "emergency.level": ("响应级别", "response level"),  # EMG-3
    "emergency.surge": ("投诉激增告警", "surge alert"),  # EMG-5
    "emergency.resource": ("应急物资", "emergency resource"),  # RES-1
    "emergency.bulletin": ("天气简报", "weather bulletin"),  # WX-1
    "emergency.forecast": ("天气预报", "forecast"),  # WX-1
    "emergency.quote": ("预案编制报价单", "fee quote"),  # FEE-1
    "catalogue.serviceitem": ("服务项目", "service item"),  # PRC-1
    "catalogue.priceversion": ("价目变更", "price version"),  # PRC-1
    "catalogue.casecharge": ("工单收费", "case charge"),  # PRC-1
    "orders.order": ("订单", "order"),  # ORD-1
    "orders.orderreturn": ("退货/换货", "return or exchange"),  # ORD-1
    "orders.stock": ("库存", "stock"),  # ORD-1
    "outbound.outboundmessage": ("给客户的消息", "message to a customer"),  # ORD-1 shipment notice
    "emergency.incident": ("突发事件", "incident"),  # EMG-4
    "emergency.incidenttask": ("处置任务", "checklist item"),  # EMG-4
    "emergency.incidentresource": ("动用物资", "resource used"),  # EMG-4
    "emergency.incidentchange": ("人员或渠道调整", "staffing or channel change"),  # EMG-4
    "emergency.incidentnotice": ("对外通告", "notice"),  # EMG-4
    "emergency.incidentphoto": ("现场照片", "incident photo"),  # EMG-4
    "emergency.drill": ("应急演练", "emergency drill"),  # DRL-1
    "emergency.drillaction": ("演练整改措施", "drill corrective action"),  # DRL-1
    "vendors.filing": ("外包客服备案", "vendor filing"),  # VEN-1
    "vendors.certificate": ("备案证书", "filing certificate"),  # VEN-1
    "workforce.shifttemplate": ("班次", "shift template"),
    "workforce.coveragerule": ("覆盖规则", "coverage rule"),
    "workforce.rota": ("排班表", "rota"),
    "workforce.rotashift": ("班次安排", "rota shift"),
    "workforce.shiftchange": ("调班申请", "shift change"),
    "cases.case": ("工单", "case"),
    "cases.casekind": ("工单类型", "case kind"),
    "cases.skillgroup": ("技能组", "skill group"),
    "cases.compensation": ("赔偿申请", "compensation"),
    "cases.handoff": ("部门交办", "handoff"),
    "cases.attachment": ("工单附件", "attachment"),
    "cases.closurereport": ("结案报告", "closure report"),
    "cases.availability": ("在岗状态", "availability"),
    "claims.claim": ("报备", "claim"),
    "claims.dispute": ("撞单争议", "dispute"),
    "claims.deal": ("签单", "deal"),
    "claims.processreport": ("客户流程报备", "process report"),
    "claims.customerchoice": ("客户选择", "customer's choice"),
    "claims.dailysubmission": ("每日报备", "daily submission"),
    "claims.missingsubmission": ("未提交报备", "missing submission"),
    "customers.customer": ("客户档案", "customer"),
    "claims.salesplan": ("销售方案", "sales plan"),  # CLM-11
    "customers.specialistskill": ("客服专员业务能力", "specialist skill"),  # CUS-7
    "customers.contact": ("联系人", "contact"),
    "customers.gradestandard": ("客户分类标准", "grading standard"),
    "customers.changerequest": ("档案变更申请", "change request"),
    "customer_governance.borrowing": ("档案借阅", "archive borrowing"),
    "customer_governance.accessrequest": ("档案查阅申请", "access request"),
    "customer_governance.importjob": ("客户导入", "customer import"),
    "customer_governance.destructionrequest": ("档案销毁申请", "destruction request"),
    "customer_governance.securityincident": ("信息安全事件", "security incident"),
    "customer_governance.mergerequest": ("客户合并申请", "merge request"),
    "discipline.penaltyproposal": ("处罚建议", "penalty proposal"),
    "followups.revisitplan": ("回访方案", "revisit plan"),
    "followups.revisittask": ("回访任务", "revisit task"),
    "workforce.handover": ("交接班", "handover"),
    "workforce.attendancerecord": ("考勤记录", "attendance record"),
    "workforce.dailymeeting": ("每日例会", "daily meeting"),  # ATT-1
    "insights.workreport": ("工作报告", "work report"),  # RPT-1
    "insights.servicereport": ("客户服务报告", "service report"),
    "insights.rectificationitem": ("整改项", "rectification item"),
    "followups.revisitattempt": ("回访记录", "revisit attempt"),
    "followups.survey": ("满意度调查", "satisfaction survey"),
    "followups.surveyanswer": ("满意度调查回答", "survey answer"),
    "followups.questionnaire": ("满意度问卷", "questionnaire"),
    "followups.revisitcampaign": ("回访活动", "revisit campaign"),
    "followups.greetingcampaign": ("节日慰问", "greeting campaign"),
    "followups.greetingdelivery": ("慰问", "greeting"),
    "followups.giftlist": ("节日礼品清单", "holiday gift list"),
    "followups.giftitem": ("礼品", "gift"),
    "followups.careevent": ("文化交流活动", "cultural event"),
    "followups.invitation": ("活动邀请", "event invitation"),
    "followups.eventgap": ("未举办活动的月份", "month without an event"),
    "knowledge.article": ("知识文章", "article"),
    "knowledge.category": ("知识分类", "knowledge category"),
    "knowledge.digest": ("知识周报", "knowledge digest"),
    "org.unit": ("组织单位", "unit"),
    "org.site": ("案场/网点", "site"),
    "org.post": ("岗位", "post"),
    "org.employee": ("人员", "employee"),
    "org.role": ("角色", "role"),
    "org.delegation": ("委托", "delegation"),
    "calendars.calendar": ("工作日历", "calendar"),
    "calendars.holidayyear": ("节假日安排", "holiday year"),
    "policy.policyversion": ("制度版本", "policy version"),
    "policy.policyoverride": ("本单位规定", "policy override"),
    "workflow.approvalrequest": ("审批", "approval"),
    "workforce.leaverequest": ("休息申请", "leave request"),
    "core.apitoken": ("接口令牌", "API token"),
    "auth.user": ("账号", "account"),
    "mail": ("邮件", "mail"),
    "quality.qcgroup": ("QC小组", "QC group"),  # QC-1
    "quality.qcactivity": ("QC小组活动", "QC group activity"),
    "quality.qcflag": ("QC小组提醒", "QC group flag"),
    "quality.course": ("培训课程", "course"),  # TRN-1
    "quality.session": ("培训场次", "training session"),
    "quality.exam": ("考核", "exam"),
    "quality.enrolment": ("培训报名", "enrolment"),
    "quality.attempt": ("考核记录", "exam attempt"),
    "quality.onboarding": ("入职培训", "onboarding"),
    "quality.scorecard": ("质检评分表", "scorecard"),  # QA-1
    "quality.samplingplan": ("质检抽样", "sampling plan"),  # QA-1
    "quality.inspection": ("质检", "inspection"),  # QA-1
    "quality.calibration": ("校准会", "calibration session"),  # QA-1
    "quality.appraisalscheme": ("考核方案", "appraisal scheme"),  # APR-1
    "quality.appraisalround": ("绩效考核", "appraisal round"),  # APR-1
    "quality.appraisalresult": ("考核结果", "appraisal result"),  # APR-1
    "quality.coachingplan": ("辅导计划", "coaching plan"),  # APR-1
    "documents.policy": ("制度", "policy"),  # DOC-1
    "documents.policyversion": ("制度版本", "policy version"),  # DOC-1
    "documents.notice": ("通知公告", "notice"),  # DOC-1
    "documents.workplan": ("工作计划", "plan"),  # DOC-1
    "documents.planitem": ("计划事项", "plan item"),  # DOC-1
    "documents.suggestion": ("合理化建议", "suggestion"),  # DOC-1
}
FIELDS: dict[str, tuple[str, str]] = {
    "name": ("名称", "name"),
    "title": ("标题", "title"),
    "code": ("代码", "code"),
    "kind": ("类型", "kind"),
    "state": ("状态", "state"),
    "status": ("状态", "status"),
    "unit": ("单位", "unit"),
    "parent": ("上级单位", "parent unit"),
    "site": ("案场/网点", "site"),
    "post": ("岗位", "post"),
    "owner": ("负责人", "owner"),
    "employee": ("员工", "employee"),
    "username": ("登录名", "sign-in name"),
    "number": ("编号", "number"),
    "email": ("电子邮箱", "e-mail"),
    "phone": ("电话", "phone"),
    "address": ("地址", "address"),
    "id_number": ("证件号", "ID number"),
    "emergency_contact": ("紧急联系人", "emergency contact"),
    "is_active": ("启用", "active"),
    "active": ("启用", "active"),
    "roles": ("角色", "roles"),
    "supervisors": ("上级", "supervisors"),
    "confirmed_on": ("转正日期", "confirmed on"),
    "employment_type": ("用工类型", "employment type"),
    "customer": ("客户", "customer"),
    "audience": ("受众类别", "audience"),
    "tier": ("客户层级", "tier"),
    "novelty": ("新客户/重要客户", "new or important"),
    "grade": ("客户等级", "grade"),
    "confidentiality": ("密级", "confidentiality"),
    "confidential_until": ("保密至", "confidential until"),
    "assignment_state": ("分配状态", "assignment"),
    "specialist": ("客服专员", "specialist"),
    "record": ("联系记录", "contact record"),
    "is_key_person": ("关键人物", "key person"),
    "position": ("职务", "position"),
    "archived_complete_at": ("档案完成时间", "archive completed at"),
    "fields": ("字段", "fields"),
    "protected_until": ("保护至", "protected until"),
    "phone_fingerprint": ("电话指纹", "phone fingerprint"),
    "claim": ("报备", "claim"),
    "claimant": ("争议方", "claimant"),
    "agreed_by": ("确认人", "agreed by"),
    "amount": ("金额", "amount"),
    "shares": ("分配比例", "shares"),
    "outcome": ("裁定结果", "outcome"),
    "measure": ("处理措施", "measure"),
    "offence": ("违规事项", "offence"),
    "occurrence": ("第几次", "occurrence"),
    "rule": ("依据", "rule"),
    "review_note": ("审核意见", "review note"),
    "channel": ("来源渠道", "channel"),
    "priority": ("优先级", "priority"),
    "family": ("工单大类", "kind"),
    "families": ("受理大类", "kinds handled"),
    "case_kinds": ("适用工单类型", "case kinds"),
    "members": ("成员", "members"),
    "office": ("前台/后台", "office"),
    "name_en": ("英文名称", "English name"),
    "ordering": ("排序", "order"),
    "category": ("分类", "category"),
    "keywords": ("关键词", "keywords"),
    "body_chars": ("正文字数", "body length"),
    "version": ("版本", "version"),
    "customer_reply": ("答复客户", "reply to the customer"),
    "solution": ("解决方案", "solution"),
    "root_cause": ("根本原因", "root cause"),
    "corrective_action": ("纠正措施", "corrective action"),
    "preventive_measures": ("预防措施", "preventive measures"),
    "resources": ("投入资源", "resources"),
    "solution_type": ("解决方式", "solution type"),
    "satisfaction": ("满意度", "satisfaction"),
    "satisfied": ("客户满意", "satisfied"),
    "satisfaction_source": ("满意度来源", "satisfaction source"),
    "time_spent_minutes": ("用时（分钟）", "time spent (minutes)"),
    "comment": ("备注", "comment"),
    "public": ("对客户可见", "public"),
    "responsible": ("责任人", "responsible"),
    "staff_cause": ("员工原因", "staff cause"),
    "staff_caused": ("员工责任", "staff caused"),
    "staff_verified": ("已查实", "verified"),
    "bounce": ("退回", "bounce"),
    "handoff": ("交办单", "handoff"),
    "chain": ("升级链", "chain"),
    "level": ("级别", "level"),
    "level_name": ("升至", "level"),
    "skipped": ("越过", "skipped"),
    "emergency": ("紧急越级", "emergency"),
    "remind_at": ("提醒时间", "reminder at"),
    "deposit_at": ("交定金时间", "deposit at"),
    "chosen": ("选定", "chosen"),
    "choice": ("客户选择记录", "customer's choice"),
    "request": ("申请", "request"),
    "contact_phone": ("联系电话", "contact phone"),
    "contact_email": ("联系邮箱", "contact e-mail"),
    "contacts.phone": ("联系人电话", "contacts' phones"),
    "attachment": ("附件", "attachment"),
    "skills": ("业务能力", "skills"),  # CUS-7
    "process_report": ("客户流程报备表", "process report"),  # CLM-11
    "report": ("逾期报备", "hardship report"),  # HRD-1
    "overdue_on": ("逾期日", "overdue date"),  # HRD-1
    "willingness": ("还款意愿", "willingness to pay"),  # HRD-1
    "contact_window": ("可接电话时段", "contact window"),  # HRD-1
    "recording": ("通话录音", "call recording"),  # HRD-1
    "call": ("致电记录", "call"),  # HRD-1
    "call_target": ("拨打对象", "whom was called"),  # HRD-1
    "call_outcome": ("通话结果", "call outcome"),  # HRD-1
    "call_at": ("致电时间", "call time"),  # HRD-1
    # VEN-1 vendor filings (issue 18)
    "material": ("备案材料", "filing material"),
    "registered_capital": ("注册资本（元）", "registered capital (yuan)"),
    "kinds": ("需补充的材料", "materials wanted"),
    "supplement": ("补充材料要求", "supplement request"),
    "certificate": ("备案证书", "certificate"),
    "revenue": ("营业收入（元）", "revenue (yuan)"),
    "filing": ("外包客服备案", "vendor filing"),
}
# coded values of a field that holds several (a list): read like the field of one
LIST_OF = {"families": "family", "case_kinds": "family"}
# a field whose codes are another's: a case's kind is named by its family (the shipped kinds share the codes)
VALUES_AS = {("cases.case", "kind"): "family"}
CHAINS = {
    "case": ("工单升级链", "case escalation"),
    "handoff": ("跨部门报备确认超时升级", "late 报备 acknowledgement escalation"),
    "customers.first_contact": ("首次沟通超时升级", "first-contact escalation"),
    "followups.gift_list": ("节日礼品清单审批", "holiday gift list approval"),
    "cases.compensation": ("客户赔偿审批", "compensation approval"),
    "workforce.leave": ("休息/请假审批", "leave approval"),
    "claims.sales_plan": ("销售方案审批", "sales plan approval"),  # CLM-11
}
ORIGINS: dict[str, tuple[str, str]] = {
    "web": ("网页", "web"),
    "api": ("接口", "API"),
    "cli": ("命令行", "command line"),
    "demo": ("演示数据", "demo data"),
    "system": ("系统", "system"),
    "approval": ("审批结果", "approval"),
    "leave": ("休息报备", "leave"),
    "leave.handover": ("休息前工作交接", "leave handover"),
    "leave.late_approval": ("休息审批超时", "late leave approval"),
    "routing": ("自动分派", "routing"),
    "timer": ("时限检查", "deadline check"),
    "emergency": (
        "应急",
        "emergency",
    ),  # EMG-4, EMG-5: "emergency surge detector", "emergency incident clock"
    "surge": ("投诉激增", "surge"),
    "detector": ("监测", "detector"),
    "incident": ("突发事件", "incident"),
    "clock": ("启动时限", "clock"),
    "claims": ("报备保护期", "claim protection"),
    "customer": ("客户档案", "customer archive"),
    "customers": ("客户档案", "customer archive"),
    "mail": ("邮件", "mail"),
    "recurrence": ("重复发生检查", "recurrence check"),
    "schedule": ("定时任务", "schedule"),
    "worker": ("后台任务", "worker"),
    "public": ("客户公开页面", "public"),
    "status": ("工单查询", "status"),
    "page": ("页面", "page"),
    "survey": ("满意度调查", "survey"),
    "care": ("客户关怀", "customer care"),
    "rsvp": ("活动答复", "event answer"),
    "quality": ("质检", "quality"),  # QA-1
    "sampling": ("抽样", "sampling"),  # QA-1
    "reports": ("工作报告", "work reports"),  # RPT-1
    "vendor": ("外包客服", "vendor"),  # VEN-1: "vendor filing timer"
    "filing": ("备案", "filing"),  # VEN-1
    "orders": ("订单", "orders"),  # ORD-1
}
_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_.:-]*$")


@dataclass(frozen=True)
class Shown:
    """A label or value as the page shows it; `code` when no one named it (shown as code, not as a word)."""

    text: str
    code: bool = False

    def __str__(self) -> str:
        return self.text

    @property
    def html(self) -> str:
        """What the template prints: the words, or the code marked as code."""
        return format_html("<code>{}</code>", self.text) if self.code else conditional_escape(self.text)


def object_type_label(object_type: str) -> Shown:
    if object_type in OBJECT_TYPES:
        return Shown(_pick(OBJECT_TYPES[object_type]))
    return Shown(object_type, code=True)


def field_label(field: str) -> Shown:
    if field in FIELDS:
        return Shown(_pick(FIELDS[field]))
    if decisions.described(field):
        return Shown(decisions.input_label(field))
    return Shown(field, code=True)


def origin_label(origin: str) -> str:
    """ "web 127.0.0.1" → "网页 · 127.0.0.1"; "cli demo" → "命令行 · 演示数据"."""
    return " · ".join(_pick(ORIGINS[word]) if word in ORIGINS else word for word in origin.split())


def reason_text(action: str, reason: str) -> str:
    """The reason in the page's language; an approval's start names its chain (e.g. followups.gift_list)
    by the chain's words."""
    if action == "workflow.approval.start" and reason in CHAINS:
        return _pick(CHAINS[reason])
    return decisions.outcome_text(reason)


def actor_label(name: str) -> str:
    return name if name and name != "system" else _pick(ORIGINS["system"])


def _choices(object_type: str, field: str) -> dict:
    try:
        # a reverse relation (e.g. a count audited under its name) has no choices
        return dict(getattr(apps.get_model(object_type)._meta.get_field(field), "choices", None) or {})
    except (LookupError, ValueError, FieldDoesNotExist):
        return {}


def _one(object_type: str, field: str, value, row: dict) -> str:
    if isinstance(value, str) and value.startswith("fp:"):  # personal data is audited as a fingerprint
        return f"{_pick(('指纹', 'fingerprint'))} {value[3:]}"
    if field == "fields" and isinstance(value, str):  # a sensitive read names the fields it showed
        kind, _, pk = value.partition(":")
        return f"{_pick(FIELDS[kind])} #{pk}" if pk and kind in FIELDS else field_label(value).text
    if field == "chain" and isinstance(value, str):
        return _pick(CHAINS.get(value, (value, value)))
    if field in ("level_name", "skipped") and isinstance(value, str) and row.get("chain"):
        try:
            levels = {level.name: level for level in chain(row["chain"]).levels}
        except KeyError:
            levels = {}
        if value in levels:
            return str(levels[value])
    if field == "state" and isinstance(value, str):
        lifecycle = lifecycle_for(object_type) if object_type.count(".") == 1 else None
        if lifecycle is not None and value in lifecycle.states:
            return _pick(lifecycle.states[value])
    key = VALUES_AS.get((object_type, field)) or LIST_OF.get(field, field)
    text = decisions.input_value(key, value)  # the apps' own words for their codes first
    if text != str(value):
        return text
    choices = _choices(object_type, field)
    return str(choices[value]) if isinstance(value, str) and value in choices else text


def value_text(object_type: str, field: str, value, row: dict | None = None) -> Shown:
    """A value of an audited change in words: the model's choice label, the lifecycle's state, the chain's
    level, 是/否, local time, — for nothing; structured values and unnamed codes as code."""
    row = row or {}
    if isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, dict) for v in value)):
        return Shown(json.dumps(value, ensure_ascii=False, sort_keys=True), code=True)
    if isinstance(value, list):
        shown = [_one(object_type, field, item, row) for item in value]
        text = "、".join(shown) if shown else "—"
        unnamed = any(_CODE.match(s) and s == str(v) for s, v in zip(shown, value, strict=True))
        return Shown(text, code=unnamed)
    text = _one(object_type, field, value, row)
    return Shown(text, code=bool(isinstance(value, str) and _CODE.match(text) and text == value))
