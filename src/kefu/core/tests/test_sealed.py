"""SEC-1 for binary data: blobs and stored files are sealed with AES-GCM in chunks; what was changed,
reordered, cut short or sealed under another key is refused; a file stored before sealing is read as
it is."""

import io
from types import SimpleNamespace

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.http import FileResponse

from kefu.core import sealed

TEXT = "客户王先生 手机 13966660011 身份证 110101199003074514\n".encode()


def field_file(tmp_path):
    """A FileField's file on a file-system storage under tmp_path, as a model instance holds it."""
    field = models.FileField(upload_to="things/", storage=FileSystemStorage(location=tmp_path))
    field.set_attributes_from_name("file")
    return field.attr_class(SimpleNamespace(), field, None)


@pytest.mark.parametrize(
    "size", [0, 1, sealed.CHUNK - 1, sealed.CHUNK, sealed.CHUNK + 1, 3 * sealed.CHUNK + 5]
)
def test_sec1_sealed_bytes_round_trip_at_every_chunk_boundary(size):  # SEC-1
    data = (TEXT * (size // len(TEXT) + 1))[:size]
    stored = sealed.seal(data)
    assert stored.startswith(sealed.MAGIC) and stored != sealed.seal(data)  # a fresh nonce each time
    assert sealed.unseal(stored) == data
    if size >= len(TEXT):
        assert TEXT not in stored
    reader = io.BufferedReader(sealed.Unsealing(io.BytesIO(stored)))
    assert reader.seek(0, io.SEEK_END) == size
    reader.seek(max(size - 100, 0))
    assert reader.read() == data[-100:] if size else reader.read() == b""


def test_sec1_sealed_data_changed_cut_short_or_under_another_key_is_refused(settings):  # SEC-1
    data = TEXT * (3 * sealed.CHUNK // len(TEXT))
    stored = sealed.seal(data)
    body = stored[sealed.HEADER :]
    first, second = body[: sealed.SEALED_CHUNK], body[sealed.SEALED_CHUNK : 2 * sealed.SEALED_CHUNK]
    flipped = bytearray(stored)
    flipped[sealed.HEADER + 5] ^= 1
    damaged = {
        "changed": bytes(flipped),
        "cut at a chunk": stored[: sealed.HEADER + 2 * sealed.SEALED_CHUNK],
        "cut inside a chunk": stored[:-5],
        "chunks swapped": stored[: sealed.HEADER] + second + first + body[2 * sealed.SEALED_CHUNK :],
        "header changed": sealed.MAGIC + bytes(sealed.PREFIX) + body,
        "empty made of a chunk": sealed.seal(b"")[:-1] + b"\x00",
    }
    for what, value in damaged.items():
        with pytest.raises(sealed.Damaged):
            sealed.unseal(value)
            pytest.fail(what)
    settings.DATA_KEY = "another-data-key-another-data-key"
    with pytest.raises(sealed.Damaged):
        sealed.unseal(stored)


def test_sec1_a_stored_file_holds_no_plaintext_and_downloads_whole(tmp_path):  # SEC-1
    upload = SimpleUploadedFile("客户资料.txt", TEXT * 5000)  # several chunks
    stored = field_file(tmp_path)
    sealed.store(stored, "客户资料.txt", upload)
    on_disk = (tmp_path / stored.name).read_bytes()
    assert on_disk.startswith(sealed.MAGIC) and b"13966660011" not in on_disk
    response = FileResponse(sealed.open_stored(stored), as_attachment=True, filename="客户资料.txt")
    assert int(response["Content-Length"]) == len(TEXT) * 5000
    assert b"".join(response.streaming_content) == TEXT * 5000
    assert sealed.read_stored(stored) == TEXT * 5000


def test_sec1_a_file_stored_before_sealing_is_read_as_it_is(tmp_path):  # SEC-1
    stored = field_file(tmp_path)
    stored.name = stored.storage.save("things/legacy.txt", io.BytesIO(TEXT))
    assert sealed.read_stored(stored) == TEXT
    with sealed.open_stored(stored) as handle:
        assert handle.seek(0, io.SEEK_END) == len(TEXT)
