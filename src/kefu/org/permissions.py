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
        Permission(
            "approval.decide", "approve", "审批（作为审批人）", "Decide approval steps as an approver"
        ),
    ]
}

SUPERVISORY_KINDS = {"view", "comment"}


def unknown(codes) -> list[str]:
    return sorted(set(codes) - set(CATALOGUE))


def not_supervisory(codes) -> list[str]:
    """Permissions a supervisory-only role may not hold (ORG-4)."""
    return sorted(c for c in codes if c in CATALOGUE and CATALOGUE[c].kind not in SUPERVISORY_KINDS)
