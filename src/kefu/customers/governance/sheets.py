"""Spreadsheet helpers for export and import (SEC-5, CUS-8): build and read .xlsx, no state changes.

The import reads a header row matched by name, in any order: Chinese headers (名称, 手机 …), the
template's "中文 / English" form, the English names and a few usual synonyms (客户名称, 联系电话 …).
Unknown columns are reported and ignored; a column given twice refuses the file.
"""

import io
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.datavalidation import DataValidation

from kefu.core.crypto import normalise_phone
from kefu.core.language import say
from kefu.customers.models import (
    AudienceCategory,
    Confidentiality,
    CustomerKind,
    LifecycleStage,
    Novelty,
    Tier,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# (zh, en): a report is in the language the import was started in (kefu.core.language.say)
ERROR_HEADER = ("错误", "Errors")
FAMILY_REFUSED = (
    "D 类（员工家属）须在系统中关联员工，不能导入",
    "category D needs an employee: enter it in the app",
)

KIND_WORDS = {
    "个人": CustomerKind.PERSON,
    "单位": CustomerKind.ORGANISATION,
    "企业": CustomerKind.ORGANISATION,
    "机构": CustomerKind.ORGANISATION,
    "组织": CustomerKind.ORGANISATION,
}
TIER_WORDS = {
    "战略": Tier.STRATEGIC,
    "重点": Tier.KEY,
    "普通": Tier.NORMAL,
    "战略客户": Tier.STRATEGIC,
    "重点客户": Tier.KEY,
    "普通客户": Tier.NORMAL,
}
NOVELTY_WORDS = {
    "新客户": Novelty.NEW,
    "新": Novelty.NEW,
    "重要客户": Novelty.IMPORTANT,
    "重要": Novelty.IMPORTANT,
}
STAGE_WORDS = {
    "拓展": LifecycleStage.EXPANSION,
    "维护": LifecycleStage.MAINTENANCE,
    "挽回": LifecycleStage.RECOVERY,
    "价值管理": LifecycleStage.VALUE,
}
LEVEL_WORDS = {
    "无": Confidentiality.NONE,
    "不涉密": Confidentiality.NONE,
    "秘密": Confidentiality.SECRET,
    "机密": Confidentiality.CONFIDENTIAL,
    "绝密": Confidentiality.TOP_SECRET,
}
# the words the export writes: the template's own (the first word of each list above)
KIND_OUT = {CustomerKind.PERSON: "个人", CustomerKind.ORGANISATION: "单位"}
TIER_OUT = {Tier.STRATEGIC: "战略", Tier.KEY: "重点", Tier.NORMAL: "普通"}
NOVELTY_OUT = {Novelty.NEW: "新客户", Novelty.IMPORTANT: "重要客户"}
STAGE_OUT = {value: word for word, value in STAGE_WORDS.items()}
LEVEL_OUT = {
    Confidentiality.NONE: "无",
    Confidentiality.SECRET: "秘密",
    Confidentiality.CONFIDENTIAL: "机密",
    Confidentiality.TOP_SECRET: "绝密",
}
YES = {"是", "同意", "y", "yes", "true", "1", "√"}
NO = {"否", "不同意", "n", "no", "false", "0", ""}


def _norm(text) -> str:
    """Header text without spaces, required marks and notes in brackets, lower-cased."""
    text = re.sub(r"[（(【\[].*?[）)】\]]", "", str(text or ""))
    return re.sub(r"[\s*＊:：]", "", text).lower()


@dataclass(frozen=True)
class Column:
    """One import column (CUS-1 / CUS-2 field), matched by any of its names."""

    key: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()
    note: str = ""  # what to write, for the template's 说明 sheet
    choices: tuple[str, ...] = ()  # offered as a drop-down in the template
    export_only: bool = False  # written by the export for the reader, not read by the import

    @property
    def header(self) -> str:
        return self.zh

    def names(self) -> set[str]:
        return {_norm(n) for n in (self.key, self.zh, self.en, f"{self.zh} / {self.en}", *self.aliases)}


# The one definition of the customer sheet (CUS-8): the template, the export and the import use these
# columns, in this order, with these headers and these words (issue 13: an export imports unchanged).
COLUMNS = [
    Column(
        "id",
        "编号",
        "No.",
        ("客户编号",),
        "留空：新客户。填写档案中已有客户的编号（导出文件带有）：按导入时所选，跳过或更新该客户",
    ),
    Column("name", "名称", "Name", ("客户名称", "姓名", "单位名称"), "必填；个人写姓名，单位写全称"),
    Column("kind", "类型", "Kind", ("客户类型",), "个人 / 单位（默认个人）", ("个人", "单位")),
    Column(
        "phone",
        "手机",
        "Phone",
        ("电话", "手机号", "手机号码", "联系电话"),
        "7–12 位数字，可带 +86、空格、横线",
    ),
    Column(
        "id_number",
        "证件号/信用代码",
        "ID / credit code",
        ("身份证号", "统一社会信用代码", "证件号码", "证件号"),
    ),
    Column("company", "公司", "Company", ("所在公司", "工作单位")),
    Column("address", "地址", "Address", ("联系地址", "详细地址")),
    Column("region", "地区", "Region", ("区域", "服务区域")),
    Column("industry", "行业", "Industry"),
    Column("position", "职务", "Position", ("职位",)),
    Column("gender", "性别", "Gender", (), "男 / 女", ("男", "女")),
    Column("birthday", "生日", "Birthday", ("出生日期",), "日期，如 1980-05-01"),
    Column("source", "来源", "Source", ("客户来源",)),
    Column("needs", "需求", "Needs", ("产品需求", "服务需求")),
    Column(
        "audience",
        "受众类别",
        "Audience category",
        ("客户类别",),
        "A 公司客户 / B 合作单位 / C 社会监督及行业管理部门（默认 A；D 员工家属须在系统中关联员工）",
        ("A", "B", "C"),
    ),
    Column("tier", "层级", "Tier", ("客户层级",), "战略 / 重点 / 普通（默认普通）", ("战略", "重点", "普通")),
    Column(
        "novelty",
        "新客户/重要客户",
        "New / important",
        ("重要程度",),
        "新客户 / 重要客户",
        ("新客户", "重要客户"),
    ),
    Column("credit_class", "信用分类", "Credit class", ("信用等级",), "1 至制度规定的分类数"),
    Column(
        "stage",
        "生命周期阶段",
        "Lifecycle stage",
        ("阶段",),
        "拓展 / 维护 / 挽回 / 价值管理",
        tuple(STAGE_WORDS),
    ),
    Column(
        "confidentiality",
        "密级",
        "Confidentiality",
        (),
        "秘密 / 机密 / 绝密 / 无（不填按层级与重要程度确定，SEC-3）",
        ("秘密", "机密", "绝密"),
    ),
    Column(
        "consent_external",
        "同意对外提供",
        "Consents to sharing",
        (),
        "是 / 否（默认否，SEC-5）",
        ("是", "否"),
    ),
    Column("owner", "负责人工号", "Owner number", ("负责人", "工号"), "本公司在职员工的工号"),
    Column("contact_name", "联系人", "Contact", ("关键人物",), "可选：联系人 / 关键人物姓名"),
    Column("contact_position", "联系人职务", "Contact position"),
    Column("contact_phone", "联系人电话", "Contact phone"),
    Column(
        "unit",
        "归属单位",
        "Unit",
        (),
        "导出时注明客户所在单位；导入时不读取（新客户归入导入时所选的单位）",
        export_only=True,
    ),
]
# the template's data columns (the 24 fields of CUS-1 / CUS-2 a person fills in)
FIELD_COLUMNS = [c for c in COLUMNS if c.key not in ("id", "unit")]
_BY_NAME = {name: column.key for column in COLUMNS for name in column.names()}
LABELS = {column.key: column.zh for column in COLUMNS}
LABELS_EN = {column.key: column.en for column in COLUMNS}


def _label(key: str) -> str:
    return say(LABELS[key], LABELS_EN[key])


DROPDOWN_ROWS = 1048576  # the last row of a worksheet: the drop-downs cover every row


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def writable(value):
    """A cell value openpyxl accepts: control characters (other than tab and newlines) cannot be
    stored in a worksheet, so they become U+FFFD rather than failing the whole file."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) if isinstance(value, str) else value


def _header(sheet) -> None:
    sheet.append([c.header for c in COLUMNS])


def export_row(customer, shown: dict, contact=None) -> list:
    """One customer as the template writes it (the words the import reads back): `shown` holds the
    personal-data fields as this reader may see them (SEC-2), `contact` the first key person."""
    values = {
        "id": customer.pk,
        "name": customer.name,
        "kind": KIND_OUT.get(customer.kind, ""),
        "company": customer.company,
        "region": customer.region,
        "industry": customer.industry,
        "position": customer.position,
        "gender": customer.gender,
        "birthday": customer.birthday,
        "source": customer.source,
        "needs": customer.needs,
        "audience": customer.audience,
        "tier": TIER_OUT.get(customer.tier, ""),
        "novelty": NOVELTY_OUT.get(customer.novelty, ""),
        "credit_class": customer.credit_class,
        "stage": STAGE_OUT.get(customer.stage, ""),
        "confidentiality": LEVEL_OUT.get(customer.confidentiality, ""),
        "consent_external": "是" if customer.consent_external else "否",
        "owner": customer.owner.number if customer.owner_id else "",
        "unit": customer.unit.name,
        **shown,
    }
    if contact is not None:
        values.update(
            contact_name=contact.name, contact_position=contact.position, contact_phone=contact.phone
        )
    return [writable("" if values.get(c.key) is None else values.get(c.key, "")) for c in COLUMNS]


def write_export(rows: Iterable[list], *, note: str):
    """The export as a temporary file, written in constant memory: openpyxl's write-only workbook
    streams each row to disk as it comes (issue 13: a 110,000-customer export held 1 GiB in a web
    process). The caller sends the file (a streaming response) and closes it."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("客户 Customers")
    _header(sheet)
    count = 0
    for row in rows:
        sheet.append(row)
        count += 1
    about = workbook.create_sheet("说明 About")
    about.append([note])
    out = tempfile.TemporaryFile()  # noqa: SIM115 — handed to the response, which closes it
    try:
        workbook.save(out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out, count


def template_workbook() -> bytes:
    """The import template: the export's columns, drop-downs for the fixed values over every row of the
    sheet, and a 说明 sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "客户 Customers"
    _header(sheet)
    for index, column in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(10, 2 * len(column.zh) + 4)
        if column.choices:
            check = DataValidation(
                type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True
            )
            check.add(f"{letter}2:{letter}{DROPDOWN_ROWS}")
            sheet.add_data_validation(check)
    sheet.freeze_panes = "A2"
    about = workbook.create_sheet("说明 About")
    about.append(["列名 Column", "English", "说明 Notes", "也可写作 Also accepted"])
    for column in COLUMNS:
        about.append([column.zh, column.en, column.note, "、".join(column.aliases)])
    about.append([])
    about.append(
        [
            "列的顺序不限；不认识的列会被忽略并在结果中列出。任何一行有误则整份文件都不导入（CUS-8）。"
            "导出的文件可原样导入：档案中已有的客户（按编号、手机或证件号识别）按导入时所选跳过或更新；"
            "更新时只写入填了值的单元格，空单元格保持原值，掩码（138****1234）表示不修改。"
        ]
    )
    about.append(
        [
            "Columns may come in any order; unknown columns are ignored and listed. One bad row imports nothing. "
            "An export imports as it is: customers already in the archive (by number, phone or ID) are skipped "
            "or updated as chosen; an update writes the filled cells only, and a mask means unchanged."
        ]
    )
    return workbook_bytes(workbook)


@dataclass
class ParsedRow:
    number: int  # the row's number in the sheet, as Excel shows it
    raw: list
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    given: frozenset = frozenset()  # the columns filled in on this row (an update writes only these)
    existing: object = None  # the archive's customer this row is (by 编号, phone or ID), if any
    customer_id: int | None = None  # the 编号 column: a customer of the archive


@dataclass
class Parsed:
    header: list[str]
    rows: list[ParsedRow]
    problem: str = ""  # "file", "empty", "header", "repeat": the file cannot be imported at all
    unknown: list[str] = field(default_factory=list)  # header cells that name no known column
    repeated: list[str] = field(default_factory=list)


def _cell(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_rows(content: bytes) -> Parsed:
    """Read the first sheet: a header row matched by name, then the data rows (blank rows skipped)."""
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a non-workbook (zip, xml, key errors)
        return Parsed([], [], "file")
    sheet = workbook.worksheets[0]
    all_rows = list(sheet.iter_rows(values_only=True))
    workbook.close()
    if not all_rows:
        return Parsed([], [], "empty")
    header = ["" if c is None else str(c) for c in all_rows[0]]
    keys = [_BY_NAME.get(_norm(c)) if _norm(c) else None for c in header]
    unknown = [c for c, k in zip(header, keys, strict=True) if k is None and _norm(c)]
    read = {c.key for c in COLUMNS if not c.export_only}
    seen, repeated = set(), []
    for cell, key in zip(header, keys, strict=True):
        if key is not None:
            if key in seen:
                repeated.append(cell)
            seen.add(key)
    if repeated:
        return Parsed(header, [], "repeat", unknown, repeated)
    if "name" not in keys:
        return Parsed(header, [], "header", unknown)
    parsed = []
    for offset, raw in enumerate(all_rows[1:], start=2):
        if all(c is None or str(c).strip() == "" for c in raw):
            continue
        values = {}
        for key, value in zip(keys, raw, strict=False):
            if key in read:
                value = _cell(value)
                values[key] = (
                    value if isinstance(value, date) else ("" if value is None else str(value).strip())
                )
        given = frozenset(k for k, value in values.items() if value != "")
        parsed.append(ParsedRow(offset, list(raw), values, given=given))
    return Parsed(header, parsed, "", unknown)


def _word(v: dict, key: str, words: dict, allowed, default, errors: list[str]) -> None:
    text = v.get(key, "")
    if text in ("", None):
        if default is None:
            v.pop(key, None)
        else:
            v[key] = default
        return
    resolved = words.get(text, str(text).lower())
    if resolved not in allowed:
        errors.append(say(f"{LABELS[key]}无效：{text}", f"unknown {_label(key).lower()}: {text}"))
    v[key] = resolved


def _masked(text) -> bool:
    """A value as a masked reader saw it (138****1234): the archive's SEC-2 rule decides (unchanged on an
    existing customer when it is that customer's mask, refused otherwise)."""
    return isinstance(text, str) and "*" in text


def _phone(text: str) -> bool:
    digits = normalise_phone(text)
    return 7 <= len(digits) <= 12 and bool(re.fullmatch(r"[\d\s\-+()]+", text))


def check_row(row: ParsedRow, *, credit_classes: int) -> None:
    """Field checks of one row; messages are in the import's language and name the column. Leaves `row.values` with
    the archive's field names and values (contacts under `contact_*`, the owner's number under `owner`)."""
    v, errors = row.values, row.errors
    number = str(v.pop("id", "") or "").strip()
    if number:
        if number.isdigit():
            row.customer_id = int(number)
        else:
            errors.append(
                say(
                    f"编号应为档案中客户的编号（数字）：{number}",
                    f"the number must be a customer number: {number}",
                )
            )
    if not v.get("name"):
        errors.append(say("名称必填", "name is required"))
    elif len(v["name"]) > 200:
        errors.append(say("名称过长", "name is too long"))
    _word(v, "kind", KIND_WORDS, CustomerKind.values, CustomerKind.PERSON, errors)
    for key in ("phone", "contact_phone"):
        if v.get(key) and not _masked(v[key]) and not _phone(v[key]):
            errors.append(
                say(f"{LABELS[key].replace('手机', '手机号码')}无效：{v[key]}", f"invalid phone: {v[key]}")
            )
    if (
        v.get("id_number")
        and not _masked(v["id_number"])
        and not re.fullmatch(r"[0-9A-Za-z\-]{6,30}", v["id_number"].replace(" ", ""))
    ):
        errors.append(say(f"证件号/信用代码无效：{v['id_number']}", "invalid ID or credit code"))
    audience = str(v.get("audience", "")).upper()
    if audience and audience not in AudienceCategory.values:
        errors.append(say(f"受众类别无效：{v['audience']}", f"audience must be A–D: {v['audience']}"))
    v["audience"] = audience or AudienceCategory.A
    _word(v, "tier", TIER_WORDS, Tier.values, Tier.NORMAL, errors)
    _word(v, "novelty", NOVELTY_WORDS, Novelty.values, Novelty.NEW, errors)
    _word(v, "stage", STAGE_WORDS, LifecycleStage.values, LifecycleStage.EXPANSION, errors)
    _word(v, "confidentiality", LEVEL_WORDS, Confidentiality.values, None, errors)
    if v.get("gender") and v["gender"] not in ("男", "女"):
        errors.append(say(f"性别无效：{v['gender']}", f"gender must be 男 or 女: {v['gender']}"))
    credit = v.pop("credit_class", "")
    if credit not in ("", None):
        if not str(credit).isdigit() or not 1 <= int(credit) <= credit_classes:
            errors.append(
                say(
                    f"信用分类应为 1–{credit_classes}：{credit}",
                    f"credit class must be 1–{credit_classes}: {credit}",
                )
            )
        else:
            v["credit_class"] = int(credit)
    birthday = v.get("birthday", "")
    if isinstance(birthday, str):
        if birthday:
            try:
                v["birthday"] = date.fromisoformat(birthday.replace("/", "-"))
            except ValueError:
                errors.append(
                    say(f"生日格式应为 年-月-日：{birthday}", f"birthday must be a date: {birthday}")
                )
        else:
            v.pop("birthday", None)
    consent = str(v.pop("consent_external", "")).strip().lower()
    if consent in YES:
        v["consent_external"] = True
    elif consent not in NO:
        errors.append(say(f"同意对外提供应填 是 或 否：{consent}", f"consent must be yes or no: {consent}"))
    if (v.get("contact_phone") or v.get("contact_position")) and not v.get("contact_name"):
        errors.append(say("填写了联系人电话或职务，但没有联系人姓名", "a contact needs a name"))
    for key, longest in MAX_LENGTH.items():
        if len(str(v.get(key, ""))) > longest:
            errors.append(say(f"{LABELS[key]}过长", f"{_label(key).lower()} is too long"))


# the archive's column sizes (customers.Customer, customers.Contact)
MAX_LENGTH = {
    "company": 200,
    "region": 100,
    "industry": 100,
    "position": 100,
    "source": 100,
    "contact_name": 100,
    "contact_position": 100,
}


def error_workbook(header: list[str], rows: list[ParsedRow]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = say("错误报告", "Errors")
    sheet.append([say("行号", "Row"), *header, say(*ERROR_HEADER)])
    for row in rows:
        raw = [writable("" if c is None else c) for c in row.raw]
        sheet.append([row.number, *raw, writable("；".join(row.errors))])
    return workbook_bytes(workbook)
