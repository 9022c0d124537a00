import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kefu.cases.tests.test_api_attachments import media  # noqa: F401  files under tmp_path
from kefu.org.access import actor_for
from kefu.org.models import Unit
from kefu.vendors.actions import common, filings
from kefu.vendors.models import MaterialKind

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"0" * 200
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 4 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


def code(first17: str = "91330106MA2TEXT01") -> str:
    return first17 + common.check_digit(first17)


def upload(name="营业执照.pdf", data=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def act(demo):
    def make(username):
        return actor_for(demo[username].user, origin="test")

    return make


@pytest.fixture
def realty(demo):
    return Unit.objects.get(code="hc-realty")


@pytest.fixture
def water(demo):
    return Unit.objects.get(code="hc-water")


@pytest.fixture
def draft(act, realty, media):  # noqa: F811
    """A draft filing of 华辰置业 entered by 王芳 (客服经理), no material yet."""
    return filings.create(
        act("wangfang"),
        unit=realty,
        name="杭州测试外包客服有限公司",
        credit_code=code(),
        registered_capital="3000000",
        contact_name="陈测试",
        contact_phone="13900000001",
    )


def attach_all(me, found, kinds=tuple(MaterialKind)):
    for kind in kinds:
        filings.add_material(me, found, kind=kind, upload=upload(f"{MaterialKind(kind).label}.pdf"))


@pytest.fixture
def submitted(act, draft):
    attach_all(act("wangfang"), draft)
    return filings.submit(act("wangfang"), draft)
