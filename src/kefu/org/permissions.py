"""The permission catalogue. Later modules add their own entries here.

`kind` matters for ORG-4: a supervisory-only role keeps only "view" and "comment" permissions
("只有督导权没有行政权").
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Permission:
    code: str
    kind: str  # view / comment / act / approve
    zh: str
    en: str


CATALOGUE: dict[str, Permission] = {
    p.code: p
    for p in [
        Permission("org.view", "view", "查看组织与人员", "View organisation and people"),
        Permission("org.manage", "act", "维护组织、站点与人员", "Maintain units, sites and employees"),
        Permission("role.manage", "act", "维护角色并分配给人员", "Maintain roles and assign them"),
        Permission("delegation.manage", "act", "为他人登记授权委托", "Record delegations for others"),
        Permission("audit.view", "view", "查看审计日志", "View the audit log"),
        Permission(
            "policy.manage",
            "act",
            "修改制度参数与子公司从严设定",
            "Change policy values and subsidiary overrides",
        ),
        Permission(
            "calendar.manage",
            "act",
            "维护工作日历与节假日安排",
            "Maintain work calendars and holiday schedules",
        ),
        Permission("customer.view", "view", "查看客户档案（脱敏）", "View the customer archive (masked)"),
        Permission(
            "customer.view_full", "view", "查看完整个人信息（手机号、证件、地址）", "See full personal data"
        ),
        Permission("customer.manage", "act", "维护客户档案", "Maintain customer records"),
        Permission(
            "customer.verify", "approve", "核实客户资料变更（信息员）", "Verify customer change requests"
        ),
        Permission("customer.export", "act", "导出客户档案", "Export customer records"),
        Permission("customer.import", "act", "导入客户档案", "Import customer records"),
        Permission(
            "customer.borrow", "act", "借阅完整客户档案（经理及以上）", "Borrow full customer dossiers"
        ),
        Permission("customer.destroy", "approve", "审批客户资料销毁", "Approve destruction of customer data"),
        Permission("customer.merge", "approve", "审批客户合并", "Approve merging duplicate customers"),
        Permission("security.incident", "act", "登记信息安全事件", "Record security incidents"),
        Permission("claim.register", "act", "客户报备", "Register customers (报备)"),
        Permission("claim.view_owner", "view", "查看报备归属人", "See who holds a claim"),
        Permission(
            "claim.manage", "act", "管理部门报备登记簿（行政部）", "Keep the department claim registers"
        ),
        Permission("claim.rule", "approve", "裁定撞单争议（行政部）", "Rule on claim clashes"),
        Permission("discipline.view", "view", "查看奖惩台账", "View the discipline ledger"),
        Permission("discipline.confirm", "approve", "确认处罚建议（人力）", "Confirm penalty proposals (HR)"),
        Permission(
            "approval.decide", "approve", "审批（作为审批人）", "Decide approval steps as an approver"
        ),
        Permission("case.view", "view", "查看服务工单", "View service cases"),
        Permission("case.comment", "comment", "评论服务工单", "Comment on service cases"),
        Permission("case.handle", "act", "受理与办理服务工单", "Receive and handle service cases"),
        Permission(
            "case.manage", "act", "分派、转派与督办服务工单（主管）", "Assign, transfer and supervise cases"
        ),
        Permission(
            "case.oversee", "view", "查看团队工单总览（只读）", "See the team case overview (read only)"
        ),
        Permission("case.compensate", "approve", "审批投诉赔偿", "Approve complaint compensation"),
        Permission(
            "case.configure",
            "act",
            "维护工单类型、技能组与队列",
            "Configure case kinds, skill groups and queues",
        ),
        Permission("revisit.view", "view", "查看回访任务与回访报告", "View revisits and revisit reports"),
        Permission(
            "revisit.handle", "act", "办理回访（记录回访结果）", "Make revisits and record their outcome"
        ),
        Permission(
            "revisit.configure",
            "act",
            "维护回访方案与回访活动",
            "Configure revisit plans and revisit campaigns",
        ),
        Permission("care.view", "view", "查看客户关怀（慰问、礼品、活动）", "View customer care"),
        Permission(
            "care.manage", "act", "安排客户关怀（慰问、礼品、活动）", "Plan greetings, gifts and events"
        ),
        Permission("care.approve", "approve", "审批节日礼品清单", "Approve holiday gift lists"),
        Permission("rota.view", "view", "查看排班表", "View shift rotas"),
        Permission(
            "rota.manage",
            "act",
            "排班：班次、覆盖规则、排班表与调班审批",
            "Manage shifts, rotas and shift changes",
        ),
        Permission("attendance.view", "view", "查看考勤与交接班记录", "View attendance and handovers"),
        Permission(
            "attendance.manage",
            "act",
            "导入考勤、核对迟到缺勤、导出月度考勤表",
            "Import and check attendance",
        ),
        # QA-1 (issue 16): inspection is a supervisory judgement (督导), so it is a "comment" permission
        # that the group's supervisory-only 督导 role may hold too (docs/decisions.md)
        Permission("quality.view", "view", "查看质检结果", "View inspection results"),
        Permission(
            "quality.inspect", "comment", "质检评分、申诉裁定与校准", "Inspect, rule on appeals, calibrate"
        ),
        Permission(
            "quality.configure", "act", "维护质检评分表与抽样方案", "Configure scorecards and sampling"
        ),
        Permission(
            "kpi.view", "view", "查看考核指标（KPI）及其明细", "View KPIs and the records behind them"
        ),
        Permission("kb.view", "view", "查看知识库", "Read the knowledge base"),
        Permission("kb.edit", "act", "编写与发布知识库文章", "Write and publish knowledge articles"),
        Permission("qc.view", "view", "查看QC小组及其活动", "View QC groups and their activities"),
        Permission(
            "qc.manage", "act", "组建QC小组、记录小组活动", "Form QC groups and record their activities"
        ),
        Permission("qc.register", "approve", "QC课题注册登记（综合部）", "Register QC topics (综合部)"),
        Permission("training.view", "view", "查看培训与考核成绩", "View training and exam results"),
        Permission(
            "training.manage",
            "act",
            "维护培训课程与考题、安排新员工入职培训",
            "Manage courses, exams and onboarding",
        ),
        Permission(
            "report.submit", "act", "填写并提交本人工作日报、周报、月报", "Write and submit my work reports"
        ),
        Permission("report.review", "view", "查看下属工作报告与提交情况", "Review the team's work reports"),
        Permission(
            "report.manage",
            "act",
            "编制月度客户服务报告、跟踪整改项",
            "Write the monthly service report and track rectification",
        ),
        Permission(
            "appraisal.view", "view", "查看绩效考核结果与辅导计划", "View appraisal results and coaching"
        ),
        Permission(
            "appraisal.manage",
            "act",
            "开展绩效考核：开启考核、录入评分、发布结果、记录辅导",
            "Run appraisals: open rounds, score, publish, record coaching",
        ),
        # EMG-1…EMG-3 (issue 17): plans, bodies and levels; the confidential full text is further limited
        # to the roles each plan version names; the runbook card goes to all staff of the unit
        Permission("emergency.view", "view", "查看应急预案与应急组织", "View emergency plans and bodies"),
        Permission(
            "emergency.plan.manage",
            "act",
            "编制与修订应急预案、设置响应级别",
            "Write and revise emergency plans, set response levels",
        ),
        Permission(
            "emergency.body.manage",
            "act",
            "组建应急组织、指定岗位人与替补人",
            "Form emergency bodies, bind slots",
        ),
        # EMG-5 (issue 17): the command centre (指挥中心) is alerted of a complaint surge and acknowledges it
        Permission(
            "emergency.command",
            "act",
            "应急指挥中心：接收突发事件告警并确认",
            "Emergency command centre: receive and acknowledge alerts",
        ),
        # RES-1, WX-1, FEE-1 (issue 17): emergency resources, the daily weather bulletin, fee quotes
        Permission("resources.view", "view", "查看应急物资台账", "View the emergency resources register"),
        Permission(
            "resources.manage",
            "act",
            "维护应急物资：登记、检查、出入库",
            "Maintain emergency resources: register, inspect, issue and restock",
        ),
        Permission("weather.view", "view", "查看每日天气简报", "View the daily weather bulletins"),
        Permission(
            "weather.publish",
            "act",
            "录入、导入并发布每日天气预报",
            "Enter, import and publish the weather forecast",
        ),
        Permission("weather.alert", "view", "接收恶劣天气预警（应急指挥）", "Receive severe-weather alerts"),
        Permission("fees.view", "view", "查看应急预案编制报价单", "View plan-drafting fee quotes"),
        Permission("fees.quote", "act", "编制应急预案编制报价单", "Make plan-drafting fee quotes"),
        # VEN-1 (issue 18): outsourced customer-service vendor filings — seeing them, entering the vendor's
        # side (filing, materials, supplements, periodic reports) and reviewing (supplements, approval,
        # inspections, reinstatement)
        Permission("vendors.view", "view", "查看外包客服备案", "View outsourced vendor filings"),
        Permission(
            "vendors.manage",
            "act",
            "登记外包客服备案：录入材料、补充材料、定期报送",
            "Enter vendor filings: materials, supplements, periodic reports",
        ),
        Permission(
            "vendors.review",
            "approve",
            "审核外包客服备案：要求补充、批准或驳回、定期检查、恢复备案",
            "Review vendor filings: supplements, approval, inspections, reinstatement",
        ),
        # DOC-1 (issue 18): policy documents and their acknowledgements, notices, plans, suggestions
        Permission(
            "documents.view",
            "view",
            "查看制度阅知情况、工作计划与合理化建议",
            "View policy acknowledgements, plans and suggestions",
        ),
        Permission(
            "documents.manage",
            "act",
            "发布制度与通知、编制工作计划、评审合理化建议",
            "Issue policies and notices, draw up plans, review suggestions",
        ),
        # PRC-1 (issue 18): the service and price catalogue under change control
        Permission("catalogue.view", "view", "查看服务项目与价目表", "View the service and price catalogue"),
        Permission(
            "catalogue.propose", "act", "提议新增服务项目、调整价格或停止收费", "Propose catalogue changes"
        ),
        Permission(
            "catalogue.approve", "approve", "审批价目变更（不能审批本人的提议）", "Approve catalogue changes"
        ),
        # ORD-1 (issue 18): orders and delivery follow-up
        Permission("order.view", "view", "查看订单", "View orders"),
        Permission(
            "order.create", "act", "登记订单并与客户确认", "Record orders and confirm them with the customer"
        ),
        Permission(
            "order.release", "approve", "财务核实到款并放行发货", "Finance: verify payment and release"
        ),
        Permission("order.ship", "act", "登记发货并通知客户", "Record the shipment and tell the customer"),
        Permission("order.return", "act", "办理退货、换货与退款", "Handle returns, exchanges and refunds"),
        Permission("order.stock", "act", "维护库存", "Maintain stock"),
    ]
}

SUPERVISORY_KINDS = {"view", "comment"}


def unknown(codes) -> list[str]:
    return sorted(set(codes) - set(CATALOGUE))


def not_supervisory(codes) -> list[str]:
    """Permissions a supervisory-only role may not hold (ORG-4)."""
    return sorted(c for c in codes if c in CATALOGUE and CATALOGUE[c].kind not in SUPERVISORY_KINDS)
