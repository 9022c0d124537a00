"""Vendor filings (VEN-1): entering a filing and its materials, submitting it for review, and recording who
opened a material. The vendor's side is entered by staff with vendors.manage over the subsidiary served.

"外包公司或机构首先需要准备备案申请材料,包括公司基本信息、申请人身份证明、合同文件等" and 三、备案要求 (营业执照和注册
资本, 合同文件, 信息安全管理措施, 信用证明), seed 000 中通外包客服备案流程: a filing is submitted only when every
required material is there ("确保材料的完整性"); otherwise the refusal names what is missing. Materials are PDF,
JPEG or PNG (sniffed from the bytes, never the name), at most the pack's `vendors.material_max_size`, stored
sealed (SEC-1) under a random name; each one opened is audited (SEC-5)."""

import secrets

from django.db import IntegrityError, transaction

from kefu.cases.actions import attachments as case_attachments
from kefu.core import audit, clock, sealed
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid
from kefu.engine.policy import api as policy
from kefu.org.models import Unit, UnitKind
from kefu.vendors.actions import common
from kefu.vendors.models import EDITABLE, Filing, FilingStatus, Material, MaterialKind, Supplement
from kefu.vendors.queries import filings as queries

MAX_SIZE = "vendors.material_max_size"
MATERIALS_MAX = 30  # files per filing (本系统默认值: a cap on what one filing stores, not a filing rule)
KIND_NAMES = {k.value: k.label for k in MaterialKind}


def _snapshot(filing: Filing) -> dict:
    # the contact person is personal data: never copied into the audit row (SEC-1); the credit code stays on
    # the filing, which no action changes after it is entered
    return {
        "unit": filing.unit_id,
        "name": filing.name,
        "registered_capital": str(filing.registered_capital),
        "status": filing.status,
    }


def create(
    actor: Actor, *, unit: Unit, name, credit_code, registered_capital, contact_name, contact_phone
) -> Filing:
    """A new filing in draft for the subsidiary `unit`; one per vendor (credit code) and subsidiary."""
    if unit.kind != UnitKind.SUBSIDIARY:
        raise Invalid(
            "vendor_unit_subsidiary",
            "请选择外包服务的子公司",
            "Choose the subsidiary served",
            {"unit": "subsidiary"},
        )
    common.require_unit(actor, queries.MANAGE, unit)
    filing = Filing(
        unit=unit,
        name=common.text(name, "name", "外包公司名称", limit=200),
        credit_code=common.credit_code(credit_code),
        registered_capital=common.money(registered_capital, "registered_capital", "注册资本"),
        contact_name=common.text(contact_name, "contact_name", "联系人姓名", limit=50),
        contact_phone=common.phone(contact_phone),
        created_by=actor.user,
        created_at=clock.now(),
    )
    try:
        with transaction.atomic():
            filing.save(force_insert=True)
            audit.record(actor, "vendors.filing.create", filing, after=_snapshot(filing))
    except IntegrityError as error:
        raise Conflict(
            "vendor_filing_exists",
            "该外包公司（统一社会信用代码）已向此子公司备案，请打开已有的备案",
            "This vendor already has a filing with this subsidiary",
        ) from error
    return filing


def sniff(head: bytes) -> tuple[str, str] | None:
    """(MIME type, extension) recognised from the first bytes — PDF, JPEG or PNG — or None."""
    if head.startswith(b"%PDF-"):
        return "application/pdf", ".pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", ".jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", ".png"
    return None


def _refuse(code: str, zh: str, en: str) -> None:
    raise Invalid(f"vendor_material_{code}", zh, en, {"file": code})


def check_upload(unit: Unit, upload) -> tuple[str, str, str, int]:
    """An upload checked as a material: (display name, MIME type, stored extension, size)."""
    if upload is None:
        _refuse("missing", "请选择要上传的材料文件", "Choose a file")
    limit = int(policy.lookup(MAX_SIZE, unit=unit).value) * 1024 * 1024
    size = upload.size or 0
    name = case_attachments.clean_name(upload.name) or "material"
    if size == 0:
        _refuse("empty", f"文件“{name}”为空", "The file is empty")
    if size > limit:
        megabytes = limit // (1024 * 1024)
        _refuse(
            "too_large", f"文件“{name}”超过 {megabytes} MB 上限", f"The file exceeds the {megabytes} MB limit"
        )
    upload.seek(0)
    head = upload.read(case_attachments.SNIFF_BYTES)
    upload.seek(0)
    kind = sniff(head)
    if kind is None:
        _refuse("type", f"“{name}”不是 PDF、JPEG 或 PNG 文件", "Only PDF, JPEG or PNG files may be uploaded")
    return name, kind[0], kind[1], size


def _kind(value) -> str:
    kind = str(value or "").strip()
    if kind not in KIND_NAMES:
        raise Invalid(
            "vendor_material_kind", "请选择材料类别", "Choose the kind of material", {"kind": "unknown"}
        )
    return kind


def add_material(
    actor: Actor, filing: Filing, *, kind, upload, supplement: Supplement | None = None
) -> Material:
    """One material of `kind`, stored sealed; only while the filing is being prepared (草稿, 已退回) or a
    supplement is asked for. Audited."""
    kind = _kind(kind)
    common.require(actor, queries.MANAGE, filing)
    name, mime, extension, size = check_upload(filing.unit, upload)
    with transaction.atomic():
        found = common.locked(filing)
        common.expect(found, *EDITABLE, doing="上传材料")
        if found.materials.count() >= MATERIALS_MAX:
            _refuse(
                "too_many",
                f"每个备案最多上传 {MATERIALS_MAX} 个文件",
                f"At most {MATERIALS_MAX} files per filing",
            )
        if supplement is None and found.status == FilingStatus.SUPPLEMENT:
            supplement = queries.open_supplement(found)
        row = Material(
            filing=found,
            kind=kind,
            name=name,
            content_type=mime,
            size=size,
            uploaded_by=actor.user,
            at=clock.now(),
            supplement=supplement,
        )
        sealed.store(row.file, f"{secrets.token_hex(16)}{extension}", upload)
        row.save()
        audit.record(
            actor,
            "vendors.material.add",
            found,
            after={
                "material": row.pk,
                "kind": kind,
                "size": size,
            },  # the file's name is the vendor's, not audited
        )
    return row


def submit(actor: Actor, filing: Filing) -> Filing:
    """Submit a draft or returned filing for review; refused, naming what is missing, until every required
    material is attached."""
    common.require(actor, queries.MANAGE, filing)
    with transaction.atomic():
        found = common.locked(filing)
        common.expect(found, FilingStatus.DRAFT, FilingStatus.RETURNED, doing="提交")
        absent = queries.missing(found)
        if absent:
            names = "、".join(KIND_NAMES[k] for k in absent)
            raise Invalid(
                "vendor_materials_missing",
                f"备案材料不全，还缺少：{names}。请上传后再提交",
                f"Materials missing: {', '.join(absent)}",
                {"materials": absent},
            )
        before = found.status
        now = clock.now()
        found.status = FilingStatus.SUBMITTED
        found.submitted_at = now
        found.submitted_by = actor.user
        found.save(update_fields=["status", "submitted_at", "submitted_by"])
        audit.record(
            actor, "vendors.filing.submit", found, before={"status": before}, after={"status": found.status}
        )
    return found


def material_viewed(actor: Actor, row: Material) -> None:
    """Record who opened a material (SEC-5: reads of personal material are audited)."""
    with transaction.atomic():
        audit.record_read(
            actor, row.filing, fields=[f"material:{row.pk}"], purpose="查看备案材料 / view filing material"
        )
