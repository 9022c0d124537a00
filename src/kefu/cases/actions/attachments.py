"""Attachments of a case: upload with size and type limits, and the audited download.

The size limit is a policy entry (`cases.attachment_max_size`, megabytes). The allowed types are a
security whitelist kept here in code, not policy: which files may be stored and later handed to a
browser is a question of what the platform can serve safely, not a service commitment a subsidiary
may tune. Images and PDF are recognised by their first bytes; a file whose content does not match its
extension is refused. The stored content type is the whitelist's, never the client's claim.
The file is stored sealed with AES-GCM (SEC-1, kefu.core.sealed) and unsealed on download.
"""

import re
import secrets
import unicodedata
from pathlib import PurePosixPath

from django.db import transaction

from kefu.cases.models import Attachment, Case, Comment
from kefu.core import audit, clock, sealed
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, PermissionDenied
from kefu.engine.policy.api import lookup
from kefu.org import access

MAX_SIZE_KEY = "cases.attachment_max_size"
NAME_MAX = 200
SNIFF_BYTES = 16

# Security whitelist (not policy): extension → (MIME type stored and served, signatures of its first bytes
# or None when the format has no signature and is checked otherwise).
ALLOWED = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    "webp": ("image/webp", (b"RIFF",)),
    "txt": ("text/plain", None),
    "csv": ("text/csv", None),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "doc": ("application/msword", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    "xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    # call recordings (QA-1), played in the inspection page; AMR is stored but Chromium does not play it
    "wav": ("audio/wav", (b"RIFF",)),
    "mp3": ("audio/mpeg", (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")),
    "ogg": ("audio/ogg", (b"OggS",)),
    "m4a": ("audio/mp4", None),
    "aac": ("audio/aac", (b"\xff\xf1", b"\xff\xf9")),
    "amr": ("audio/amr", (b"#!AMR",)),
}
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


def max_size(case: Case) -> int:
    """The largest attachment in bytes for the case's unit (policy, megabytes)."""
    return int(lookup(MAX_SIZE_KEY, unit=case.unit).value) * 1024 * 1024


def clean_name(raw: str) -> str:
    """A display name safe to store and to send back in Content-Disposition: no path, no control or
    reserved characters, no leading dots, at most NAME_MAX characters with the extension kept."""
    name = unicodedata.normalize("NFC", str(raw or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    if len(name) > NAME_MAX:
        suffix = PurePosixPath(name).suffix[:20]
        name = name[: NAME_MAX - len(suffix)] + suffix
    return name


def _refuse(code: str, zh: str, en: str) -> None:
    raise Invalid(code, zh, en, {"file": code.removeprefix("case_attachment_")})


def _type_of(name: str, head: bytes) -> str:
    extension = PurePosixPath(name).suffix.lower().lstrip(".")
    allowed = ALLOWED.get(extension)
    if allowed is None:
        kinds = ", ".join(sorted(ALLOWED))
        _refuse(
            "case_attachment_type",
            f"不支持的文件类型，可上传：{kinds}",
            f"File type not allowed; allowed: {kinds}",
        )
    mime, signatures = allowed
    if extension == "m4a":
        matches = head[4:8] == b"ftyp"  # an MP4 container: the box type sits after the 4-byte size
    elif signatures is None:
        matches = b"\x00" not in head  # plain text: no binary content
    else:
        matches = any(head.startswith(s) for s in signatures)
        if extension == "webp":
            matches = matches and head[8:12] == b"WEBP"
        if extension == "wav":
            matches = matches and head[8:12] == b"WAVE"
    if not matches:
        _refuse(
            "case_attachment_content",
            "文件内容与扩展名不符",
            "The file's content does not match its extension",
        )
    return mime


def attach(actor: Actor, case: Case, upload, *, comment: Comment | None = None) -> Attachment:
    """Store an uploaded file on the case (size from policy, type from the whitelist); audited.

    Rides on case.comment, but it is not a comment: a supervisory-only role ("只有督导权", ORG-4) may
    comment and may not add files, so the grant must come from a role that may act."""
    if not access.write_in_scope(actor, "case.comment", unit=case.unit, owner_id=case.owner_id):
        raise PermissionDenied(
            "您无权为此工单上传附件", "You may not add files to this case", code="case_attachment_forbidden"
        )
    limit = max_size(case)
    size = upload.size or 0
    if size == 0:
        _refuse("case_attachment_empty", "文件为空", "The file is empty")
    if size > limit:
        megabytes = limit // (1024 * 1024)
        _refuse(
            "case_attachment_too_large",
            f"文件超过 {megabytes} MB 上限",
            f"The file exceeds the {megabytes} MB limit",
        )
    name = clean_name(upload.name)
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    mime = _type_of(name, head)
    extension = PurePosixPath(name).suffix.lower()
    with transaction.atomic():
        row = Attachment(
            case=case,
            comment=comment,
            name=name,
            content_type=mime,
            size=size,
            uploaded_by=actor.user,
            at=clock.now(),
        )
        # stored under a random name: the display name never reaches the file system; sealed (SEC-1)
        sealed.store(row.file, f"{secrets.token_hex(16)}{extension}", upload)
        row.save()
        audit.record(
            actor,
            "cases.attachment",
            case,
            after={"attachment": row.pk, "name": name, "size": size, "content_type": mime},
        )
    return row


def downloaded(actor: Actor, attachment: Attachment) -> None:
    """Record who fetched a case's file (SEC-5: reads of customer material are audited)."""
    with transaction.atomic():
        audit.record_read(
            actor,
            attachment.case,
            fields=[f"attachment:{attachment.pk}"],
            purpose="下载附件 / download attachment",
        )
