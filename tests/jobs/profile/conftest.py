"""Fixtures for the graduate profile and personal-data tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.functional import empty

import pytest
from PIL import Image

from accounts.choices import Role
from jobs.models import University, private_storage
from tests.accounts.helpers import give_totp
from tests.factories import load_small_regions, user_with_role
from tests.jobs.builders import MEIXIAN, TIANHE, load_reference_data, make_id_number, villages_of


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """Documents go to a fresh directory per test."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    private_storage._wrapped = empty
    yield settings.PRIVATE_STORAGE_ROOT
    private_storage._wrapped = empty


@pytest.fixture
def regions(db):
    load_small_regions()
    load_reference_data()


@pytest.fixture
def village(regions):
    return villages_of(MEIXIAN)[0]


@pytest.fixture
def graduate_user(regions):
    return user_with_role(Role.GRADUATE)


@pytest.fixture
def hr_meixian(regions):
    user = user_with_role(Role.HR_OFFICER, MEIXIAN)
    give_totp(user)
    return user


@pytest.fixture
def hr_tianhe(regions):
    user = user_with_role(Role.HR_OFFICER, TIANHE)
    give_totp(user)
    return user


@pytest.fixture
def profile_data(village):
    """Valid raw input for graduate_profile_save (as the form or API hands it over)."""

    def build(**overrides) -> dict:
        data = {
            "real_name": "李小梅",
            "id_number": make_id_number(village.code[:6]),
            "phone": "13800138000",
            "hometown": village.code,
            "university": University.objects.get(name="嘉应学院").pk,
            "university_other": "",
            "education_level": "bachelor",
            "full_time": True,
            "major": "080901",
            "graduation_year": 2025,
            "political_status": "cyl_member",
            "dialects": ["hakka"],
            "privacy_notice_acknowledged": True,
            "sensitive_consent": True,
        }
        data.update(overrides)
        return data

    return build


def image_bytes(fmt: str = "JPEG", size=(64, 48), exif: bytes | None = None, **save) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    if exif is not None:
        save["exif"] = exif
    image.save(out, format=fmt, **save)
    return out.getvalue()


def gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel X"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (24.0, 17.0, 0.0)
    gps[3] = "E"
    gps[4] = (116.0, 7.0, 0.0)
    return exif.tobytes()


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
SVG_BYTES = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.cookie)</script></svg>"
)
HTML_BYTES = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


@pytest.fixture(autouse=True)
def _english(english_messages):
    """Service messages are asserted in English here."""
