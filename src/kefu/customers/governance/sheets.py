"""Spreadsheet helpers for export and import (SEC-5, CUS-8): build and read .xlsx, no state changes."""

import io
import re
from dataclasses import dataclass, field

from openpyxl import Workbook, load_workbook

from kefu.core.crypto import normalise_phone
from kefu.customers.models import AudienceCategory, CustomerKind, Tier

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# column key → (中文表头, English header)
COLUMNS = [
    ("name", "名称", "Name"),
    ("kind", "类型", "Kind"),
    ("phone", "手机", "Phone"),
    ("id_number", "证件号/信用代码", "ID / credit code"),
    ("company", "公司", "Company"),
    ("address", "地址", "Address"),
    ("audience", "受众类别", "Audience category"),
    ("tier", "层级", "Tier"),
]
EXPORT_EXTRA = [("id", "编号", "No."), ("unit", "归属单位", "Unit")]
ERROR_HEADER = "错误 / Errors"

KIND_WORDS = {
    "个人": CustomerKind.PERSON,
    "单位": CustomerKind.ORGANISATION,
    "企业": CustomerKind.ORGANISATION,
}
TIER_WORDS = {"战略": Tier.STRATEGIC, "重点": Tier.KEY, "普通": Tier.NORMAL}


def _bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_workbook(rows: list[dict], *, note: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "客户 Customers"
    columns = [EXPORT_EXTRA[0], *COLUMNS, EXPORT_EXTRA[1]]
    sheet.append([f"{zh} / {en}" for _, zh, en in columns])
    for row in rows:
        sheet.append([row.get(key, "") for key, _, _ in columns])
    about = workbook.create_sheet("说明 About")
    about.append([note])
    return _bytes(workbook)


def template_workbook() -> bytes:
    workbook = Workbook()
    workbook.active.append([f"{zh} / {en}" for _, zh, en in COLUMNS])
    return _bytes(workbook)


@dataclass
class ParsedRow:
    number: int  # the row's number in the sheet, as Excel shows it
    raw: list
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def _header_key(cell) -> str | None:
    text = str(cell or "").strip().lower()
    for key, zh, en in COLUMNS:
        if text in {key, zh.lower(), en.lower(), f"{zh} / {en}".lower()} or text.startswith(zh.lower()):
            return key
    return None


def read_rows(content: bytes) -> tuple[list[str], list[ParsedRow], str]:
    """(header cells, data rows, problem): problem is non-empty when the file cannot be read at all."""
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a non-workbook (zip, xml, key errors)
        return [], [], "file"
    sheet = workbook.worksheets[0]
    all_rows = list(sheet.iter_rows(values_only=True))
    workbook.close()
    if not all_rows:
        return [], [], "empty"
    header = [str(c or "") for c in all_rows[0]]
    keys = [_header_key(c) for c in all_rows[0]]
    if "name" not in keys:
        return header, [], "header"
    parsed = []
    for offset, raw in enumerate(all_rows[1:], start=2):
        if all(c is None or str(c).strip() == "" for c in raw):
            continue
        values = {k: str(v).strip() if v is not None else "" for k, v in zip(keys, raw, strict=False) if k}
        parsed.append(ParsedRow(offset, list(raw), values))
    return header, parsed, ""


def check_row(row: ParsedRow) -> None:
    """Field checks of one row; messages are bilingual and name the column."""
    v = row.values
    if not v.get("name"):
        row.errors.append("名称必填 / name is required")
    elif len(v["name"]) > 200:
        row.errors.append("名称过长 / name is too long")
    kind = v.get("kind", "")
    if kind:
        resolved = KIND_WORDS.get(kind, kind.lower())
        if resolved not in CustomerKind.values:
            row.errors.append(f"类型无效：{kind} / unknown kind")
        v["kind"] = resolved
    else:
        v["kind"] = CustomerKind.PERSON
    phone = v.get("phone", "")
    if phone:
        digits = normalise_phone(phone)
        if not (7 <= len(digits) <= 12) or not re.fullmatch(r"[\d\s\-+()]+", phone):
            row.errors.append(f"手机号码无效：{phone} / invalid phone")
    audience = v.get("audience", "").upper()
    if audience and audience not in AudienceCategory.values:
        row.errors.append(f"受众类别无效：{v['audience']} / audience must be A–D")
    v["audience"] = audience or AudienceCategory.A
    tier = v.get("tier", "")
    resolved_tier = TIER_WORDS.get(tier, tier.lower()) if tier else Tier.NORMAL
    if resolved_tier not in Tier.values:
        row.errors.append(f"层级无效：{tier} / unknown tier")
    v["tier"] = resolved_tier


def error_workbook(header: list[str], rows: list[ParsedRow]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "错误报告 Errors"
    sheet.append(["行号 / Row", *header, ERROR_HEADER])
    for row in rows:
        sheet.append([row.number, *[("" if c is None else c) for c in row.raw], "；".join(row.errors)])
    return _bytes(workbook)
