"""Personal data at rest (SEC-1): AES-GCM encryption plus a keyed-hash "blind index" for exact lookup.

Both keys derive from settings.DATA_KEY with HKDF so that the index key cannot decrypt anything. The
audit chain's keys (SEC-6) derive from settings.AUDIT_KEY, or from DATA_KEY under their own labels.
"""

import base64
import hashlib
import hmac
import json
import os
import re
from functools import cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models

_PREFIX = "v1:"


@cache
def _derive(purpose: bytes, data_key: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"kefu", info=purpose).derive(data_key.encode())


def audit_key(purpose: str) -> bytes:
    """Key of the audit chain (`chain`) or of its checkpoints (`checkpoint`), SEC-6: never in the database."""
    return _derive(f"kefu-audit-{purpose}".encode(), settings.AUDIT_KEY or settings.DATA_KEY)


def derive_key(purpose: bytes) -> bytes:
    """A 256-bit key for one purpose, derived from settings.DATA_KEY (never stored anywhere)."""
    return _derive(purpose, settings.DATA_KEY)


def encrypt(plaintext: str) -> str:
    key = derive_key(b"kefu-encrypt")
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode(), None)
    return _PREFIX + base64.b64encode(nonce + sealed).decode()


def decrypt(token: str) -> str:
    if not token.startswith(_PREFIX):
        raise ValueError("not an encrypted kefu value")
    raw = base64.b64decode(token[len(_PREFIX) :])
    key = derive_key(b"kefu-encrypt")
    return AESGCM(key).decrypt(raw[:12], raw[12:], None).decode()


def encrypt_if_clear(value):
    """`value` encrypted, or None when there is nothing to do (empty, or encrypted already)."""
    return encrypt(value) if value and not value.startswith(_PREFIX) else None


def encrypt_existing(connection, table: str, columns: dict) -> int:
    """For data migrations: rewrite every row of `table` whose columns are still in clear, in place.
    `columns` maps a column to its function (value → new value, or None to keep it: see
    `encrypt_if_clear`). Returns how many rows changed; a second run changes none."""
    quote, names = connection.ops.quote_name, list(columns)
    changed_rows = 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {', '.join(map(quote, names))} FROM {quote(table)}")  # noqa: S608 — quoted names from code
        for pk, *values in cursor.fetchall():
            changed = {c: columns[c](v) for c, v in zip(names, values, strict=True)}
            changed = {c: v for c, v in changed.items() if v is not None}
            if changed:
                sets = ", ".join(f"{quote(c)} = %s" for c in changed)
                update = f"UPDATE {quote(table)} SET {sets} WHERE id = %s"  # noqa: S608 — quoted names from code
                cursor.execute(update, [*changed.values(), pk])
                changed_rows += 1
    return changed_rows


def normalise_phone(value: str) -> str:
    """Digits only, without the +86 / 0086 country prefix, so 138-0000-1234 and +8613800001234 match."""
    digits = re.sub(r"\D", "", value or "")
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 11:
            return digits[len(prefix) :]
    return digits


def blind_index(value: str, *, kind: str = "phone") -> str:
    """Keyed hash of the normalised value; equal inputs give equal indexes, nothing else is learnt."""
    normalised = normalise_phone(value) if kind == "phone" else (value or "").strip().upper()
    key = derive_key(b"kefu-blind-index")
    return hmac.new(key, f"{kind}:{normalised}".encode(), hashlib.sha256).hexdigest()


def fingerprint(value) -> str:
    """`fp:` + a short keyed hash: shows where personal data was (and whether two values are the same)
    without revealing it — for audit rows, error texts and logs, which are never erased. Text is
    compared without case or surrounding blanks; another JSON-able value by its canonical JSON."""
    if not value:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, ensure_ascii=False)
    return f"fp:{blind_index(text, kind='text')[:10]}"


_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)")


def redact(text: str) -> str:
    """`text` with every e-mail address and mobile number replaced by its fingerprint (error texts and
    log lines that quote what a mail server or a handler said)."""
    text = _EMAIL.sub(lambda m: fingerprint(m.group(0)), text or "")
    return _MOBILE.sub(lambda m: fingerprint(normalise_phone(m.group(0))), text)


def mask_phone(value: str) -> str:
    """SEC-2: 13812341234 → 138****1234."""
    digits = normalise_phone(value)
    if len(digits) >= 7:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * len(digits)


class EncryptedTextField(models.TextField):
    """Stores AES-GCM ciphertext; Python code sees plaintext. Not filterable: use a blind index."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)


class EncryptedJSONField(EncryptedTextField):
    """A JSON value (list, dict …) stored as AES-GCM ciphertext of its JSON text. Not filterable."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return json.loads(decrypt(value))

    def to_python(self, value):
        return value

    def get_prep_value(self, value):
        if value is None:
            return value
        return encrypt(json.dumps(value, ensure_ascii=False))
