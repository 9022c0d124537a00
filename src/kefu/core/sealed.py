"""Binary personal data at rest (SEC-1): database blobs and stored files, sealed with AES-GCM.

One format for both, streamed in chunks so that neither side holds a whole file in memory:

    MAGIC (16 bytes, starts with NUL) · nonce prefix (7 random bytes) · chunk · chunk · …

Each chunk is up to CHUNK bytes of plaintext sealed with AES-GCM (16-byte tag) under a key derived
from settings.DATA_KEY for this purpose alone. A chunk's nonce is the prefix, its index and a last-chunk
flag, and the header is its associated data: chunks cannot be reordered, dropped, or cut off at the end
unnoticed (the STREAM construction). The plaintext size follows from the sealed size, so a reader can
seek, and a download can say its length.

Files: `store()` seals an upload or bytes into a FileField's storage and `open_stored()` reads it back
(a file that lacks MAGIC was stored before this module and is read as it is — docs/decisions.md);
`encrypt_legacy_files()` seals such files in place, run by `kefu migrate`. Blobs: `EncryptedBinaryField`.
"""

import io
import os
import tempfile
from collections.abc import Callable, Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.apps import apps
from django.core.files import File
from django.db import models

from kefu.core.crypto import derive_key

MAGIC = b"\x00kefu-sealed-v1\n"  # a NUL first: no text file and no whitelisted type starts this way
PREFIX = 7
HEADER = len(MAGIC) + PREFIX
CHUNK = 64 * 1024
TAG = 16
SEALED_CHUNK = CHUNK + TAG
SPOOL = 1024 * 1024  # sealed uploads larger than this are spooled to a temporary file, not memory


class Damaged(ValueError):
    """The sealed data was changed, cut short, or sealed under another DATA_KEY."""


def _key() -> bytes:
    return derive_key(b"kefu-seal-binary")


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + index.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def _read_full(read: Callable[[int], bytes], size: int) -> bytes:
    parts, wanted = [], size
    while wanted:
        part = read(wanted)
        if not part:
            break
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)


def sealing(read: Callable[[int], bytes]) -> Iterator[bytes]:
    """The sealed form of everything `read` gives, piece by piece (the header first)."""
    prefix = os.urandom(PREFIX)
    header = MAGIC + prefix
    cipher = AESGCM(_key())
    yield header
    index, current = 0, _read_full(read, CHUNK)
    while True:
        following = _read_full(read, CHUNK) if len(current) == CHUNK else b""
        last = not following
        yield cipher.encrypt(_nonce(prefix, index, last), current, header)
        if last:
            return
        index, current = index + 1, following


def is_sealed(head: bytes) -> bool:
    return head[: len(MAGIC)] == MAGIC


class Unsealing(io.RawIOBase):
    """A seekable reader of the plaintext of a sealed, seekable binary file."""

    def __init__(self, sealed: BinaryIO):
        super().__init__()
        sealed.seek(0)
        self._sealed, self._header = sealed, _read_full(sealed.read, HEADER)
        body = sealed.seek(0, io.SEEK_END) - HEADER
        full, rest = divmod(body, SEALED_CHUNK)
        if not is_sealed(self._header) or len(self._header) < HEADER or body <= 0 or 0 < rest < TAG:
            raise Damaged("not sealed data, or cut short")
        self._chunks = full + (1 if rest else 0)
        self.size = full * CHUNK + (rest - TAG if rest else 0)
        self._cipher, self._pos, self._cached = AESGCM(_key()), 0, (-1, b"")
        if not self.size:
            self._chunk(0)  # nothing to read: check the one empty chunk's tag now

    def _chunk(self, index: int) -> bytes:
        if self._cached[0] != index:
            self._sealed.seek(HEADER + index * SEALED_CHUNK)
            data = _read_full(self._sealed.read, SEALED_CHUNK)
            nonce = _nonce(self._header[len(MAGIC) :], index, index == self._chunks - 1)
            try:
                self._cached = (index, self._cipher.decrypt(nonce, data, self._header))
            except InvalidTag:
                raise Damaged("sealed data was changed, or sealed under another key") from None
        return self._cached[1]

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._pos = base + offset
        return self._pos

    def readinto(self, buffer) -> int:
        if self._pos >= self.size:
            return 0
        index, offset = divmod(self._pos, CHUNK)
        plain = self._chunk(index)
        count = min(len(buffer), len(plain) - offset)
        buffer[:count] = plain[offset : offset + count]
        self._pos += count
        return count

    def close(self) -> None:
        if not self.closed:
            self._sealed.close()
        super().close()


def seal(data: bytes) -> bytes:
    return b"".join(sealing(io.BytesIO(data).read))


def seal_if_clear(value):
    """`value` (bytes from the database) sealed, or None when empty or sealed already (migrations:
    see crypto.encrypt_existing)."""
    data = bytes(value) if value is not None else b""
    return seal(data) if data and not is_sealed(data) else None


def unseal(data: bytes) -> bytes:
    with Unsealing(io.BytesIO(data)) as reader:
        return reader.readall()


# ---- stored files (FileField) -----------------------------------------------------------------------


def _reader(content) -> Callable[[int], bytes]:
    if isinstance(content, bytes | bytearray | memoryview):
        return io.BytesIO(bytes(content)).read
    if hasattr(content, "seek"):
        content.seek(0)
    return content.read


def store(field_file, name: str, content) -> None:
    """Seal `content` (bytes or a file: an upload, a ContentFile) into the FieldFile's storage under a
    name made from `name`, without saving the model. The plaintext never reaches the storage."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL) as spool:
        for piece in sealing(_reader(content)):
            spool.write(piece)
        spool.seek(0)
        field_file.save(name, File(spool, name=name), save=False)


def open_stored(field_file) -> BinaryIO:
    """The plaintext of a stored file as a seekable binary file (FileResponse takes it as it is)."""
    handle = field_file.storage.open(field_file.name, "rb")
    head = _read_full(handle.read, len(MAGIC))
    handle.seek(0)
    if not is_sealed(head):
        return handle  # stored before files were sealed (docs/decisions.md)
    return io.BufferedReader(Unsealing(handle), buffer_size=CHUNK)


def read_stored(field_file) -> bytes:
    with open_stored(field_file) as handle:
        return handle.read()


def _seal_in_place(storage, name: str) -> bool:
    with storage.open(name, "rb") as handle:
        if is_sealed(_read_full(handle.read, len(MAGIC))):
            return False
    path = storage.path(name)  # the file system storage: replace the file atomically
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".sealing-")
    try:
        with os.fdopen(handle, "wb") as out, open(path, "rb") as plain:
            for piece in sealing(plain.read):
                out.write(piece)
        os.chmod(temporary, os.stat(path).st_mode)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
    return True


def encrypt_legacy_files() -> int:
    """Seal every stored file of every FileField that is still in clear; returns how many. Idempotent:
    a sealed file is recognised by its header and left alone; a missing file is skipped."""
    sealed = 0
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.FileField):
                continue
            names = model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True)
            for name in names.iterator():
                if name and field.storage.exists(name):
                    sealed += _seal_in_place(field.storage, name)
    return sealed


def report(count: int) -> None:
    """Tell the operator (`kefu migrate`, `kefu run`) how many older files were just sealed."""
    if count:
        print(f"已加密 {count} 个此前明文存放的文件 / {count} files stored in clear were sealed (SEC-1)")


# ---- blobs -----------------------------------------------------------------------------------------


class EncryptedBinaryField(models.BinaryField):
    """Bytes stored sealed; Python code sees the plaintext. Empty stays empty. Not filterable."""

    def from_db_value(self, value, expression, connection):
        if value is None or not len(value):
            return value if value is None else b""
        try:
            return unseal(bytes(value))
        except Damaged:
            raise Damaged(
                f"{self.model._meta.db_table}.{self.column} holds data that is not sealed"
            ) from None

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or not len(value):
            return value
        return seal(bytes(value))
