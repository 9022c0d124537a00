"""A scan of every table for personal data in clear (SEC-1): the whole database, every column.

`needles()` gathers what must never appear in clear — every phone number, ID number and customer
e-mail address held in an encrypted field (decrypted here, through the models) plus whatever the
caller adds (status-link secrets, addresses used in a test). `scan(needles)` reads every table with
`SELECT *` over the database's own table list (SQLite and PostgreSQL), turns every value into text
(JSON included, both as stored and with non-ASCII characters unescaped; bytes as they are and, for a
zip such as an .xlsx, every member decompressed) and reports each hit. `scan_files(root, needles)`
does the same for every file below a directory (the media root: attachments, raw mail).
"""

import contextlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import connection

from kefu.core.crypto import EncryptedTextField

PHONE = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}\d{7,8})(?!\d)")
ID_NUMBER = re.compile(r"(?<![0-9A-Z])(?:\d{17}[\dX]|9\d[0-9A-Z]{16})(?![0-9A-Z])")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
WHOLE = ("phone", "id_number", "email")  # encrypted fields whose whole value is a needle


@dataclass(frozen=True)
class Hit:
    table: str
    column: str
    needle: str

    def __str__(self):
        return f"{self.table}.{self.column} holds {self.needle!r} in clear"


def _from_text(text: str) -> set[str]:
    return set(PHONE.findall(text)) | set(ID_NUMBER.findall(text)) | set(EMAIL.findall(text))


def needles(*extra: str) -> set[str]:
    """Every phone, ID number and customer e-mail address the records' encrypted fields hold, plus
    `extra`. (The mail queues copy them, and also hold kefu's own service addresses: not a source.)"""
    found = {value for value in extra if value}
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if not fields or model._meta.app_label == "mail":
            continue
        for row in model._default_manager.values_list(*fields):
            for name, value in zip(fields, row, strict=True):
                if not isinstance(value, str) or not value:
                    continue
                if any(word in name for word in WHOLE):
                    found.add(value.strip())
                found |= _from_text(value)
    return {n for n in found if len(n) >= 6}


def bytes_texts(data: bytes) -> list[str]:
    """The bytes as text, plus the text of every member when they are a zip (.xlsx, .docx)."""
    texts = [data.decode("utf-8", errors="replace")]
    if data.startswith(b"PK\x03\x04"):
        with contextlib.suppress(zipfile.BadZipFile), zipfile.ZipFile(io.BytesIO(data)) as archive:
            texts += [archive.read(m).decode("utf-8", errors="replace") for m in archive.namelist()]
    return texts


def _texts(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, memoryview | bytes | bytearray):
        return bytes_texts(bytes(value))
    if isinstance(value, dict | list):
        return [json.dumps(value, ensure_ascii=False, default=str)]
    text = str(value)
    texts = [text]
    if "\\u" in text:  # JSON stored with escaped non-ASCII characters
        with contextlib.suppress(ValueError):
            texts.append(json.dumps(json.loads(text), ensure_ascii=False))
    return texts


def tables() -> list[str]:
    with connection.cursor() as cursor:
        return sorted(t.name for t in connection.introspection.get_table_list(cursor) if t.type == "t")


def scan(needles: set[str]) -> list[Hit]:
    """Every (table, column, needle) found in clear anywhere in the database."""
    lowered = {n.lower(): n for n in needles}
    hits = []
    with connection.cursor() as cursor:
        for table in tables():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # introspected names
            columns = [c[0] for c in cursor.description]
            texts: list[list[str]] = [[] for _ in columns]
            for row in cursor.fetchall():
                for i, value in enumerate(row):
                    texts[i].extend(_texts(value))
            for column, parts in zip(columns, texts, strict=True):
                text = "\x00".join(parts).lower()
                hits.extend(Hit(table, column, needle) for low, needle in lowered.items() if low in text)
    return sorted(hits, key=lambda h: (h.table, h.column, h.needle))


def scan_files(root: Path, needles: set[str]) -> list[Hit]:
    """Every (file, needle) found in clear in the files below `root` (table "media", column the path)."""
    lowered = {n.lower(): n for n in needles}
    hits = []
    for path in sorted(p for p in Path(root).rglob("*") if p.is_file()):
        text = "\x00".join(bytes_texts(path.read_bytes())).lower()
        name = str(path.relative_to(root))
        hits.extend(Hit("media", name, needle) for low, needle in lowered.items() if low in text)
    return hits
