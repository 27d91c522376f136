"""Documents: checked by their bytes, cleaned, stored privately, served only to who may see them."""

import io
import zipfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest
from PIL import Image

from accounts.choices import AuditAction, Role
from accounts.models import AuditEvent
from jobs.models import GraduateDocument
from jobs.services.documents import document_upload
from tests.factories import user_with_role
from tests.jobs.builders import TIANHE, make_graduate

from .conftest import HTML_BYTES, PDF_BYTES, SVG_BYTES, gps_exif, image_bytes, upload
from .helpers import apply


@pytest.fixture
def graduate(regions):
    return make_graduate()


@pytest.fixture
def profile(graduate):
    return graduate.graduate_profile


def stored_bytes(document: GraduateDocument) -> bytes:
    with document.file.open("rb") as f:
        return f.read()


def test_jpeg_is_reencoded_without_exif_or_gps(profile, private_root):
    original = image_bytes("JPEG", exif=gps_exif())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the GPS is there

    document = document_upload(
        profile=profile, kind="diploma", uploaded_file=upload("IMG_0001.jpg", original)
    )
    data = stored_bytes(document)
    stored = Image.open(io.BytesIO(data))
    assert stored.format == "JPEG"
    assert not stored.getexif()
    assert b"PhoneModel" not in data
    assert document.content_type == "image/jpeg"
    assert document.size == len(data)
    # Stored under a random token, outside the web root; the uploaded name is only a label.
    assert "IMG_0001" not in document.file.name
    assert document.token in document.file.name
    assert document.file.path.startswith(str(private_root))
    assert document.original_name == "IMG_0001.jpg"


def test_png_text_chunks_are_dropped(profile):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret-location-24.28N")
    document = document_upload(
        profile=profile,
        kind="photo",
        uploaded_file=upload("photo.png", image_bytes("PNG", pnginfo=info), "image/png"),
    )
    assert b"secret-location" not in stored_bytes(document)
    assert Image.open(io.BytesIO(stored_bytes(document))).format == "PNG"


def test_pdf_is_kept_as_it_is(profile):
    document = document_upload(
        profile=profile,
        kind="degree",
        uploaded_file=upload("degree.pdf", PDF_BYTES, "application/pdf"),
    )
    assert stored_bytes(document) == PDF_BYTES
    assert document.extension == "pdf"


def test_the_type_comes_from_the_content_not_the_name(profile):
    document = document_upload(
        profile=profile,
        kind="photo",
        uploaded_file=upload("scan.pdf", image_bytes("PNG"), "application/pdf"),
    )
    assert document.content_type == "image/png"
    assert document.extension == "png"


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("photo.jpg", SVG_BYTES, "image/jpeg"),
        ("photo.svg", SVG_BYTES, "image/svg+xml"),
        ("diploma.jpg", HTML_BYTES, "image/jpeg"),
        ("diploma.png", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/png"),
        ("diploma.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"),
        ("notes.jpg", b"just some text", "image/jpeg"),
    ],
    ids=["svg-as-jpg", "svg", "html-as-jpg", "gif-as-png", "exe-as-pdf", "text-as-jpg"],
)
def test_files_lying_about_their_type_are_refused(profile, name, content, content_type):
    with pytest.raises(ValidationError) as exc_info:
        document_upload(
            profile=profile, kind="diploma", uploaded_file=upload(name, content, content_type)
        )
    assert "JPEG or PNG" in exc_info.value.message_dict["file"][0]
    assert not GraduateDocument.objects.exists()


def test_a_file_with_jpeg_magic_but_no_image_is_refused(profile):
    with pytest.raises(ValidationError) as exc_info:
        document_upload(
            profile=profile,
            kind="photo",
            uploaded_file=upload("x.jpg", b"\xff\xd8\xff\xe0" + b"<script>alert(1)</script>"),
        )
    assert "damaged" in exc_info.value.message_dict["file"][0]


def test_oversized_files_are_refused(profile, settings):
    settings.GRADUATE_DOCUMENT_MAX_BYTES = 1024
    big = PDF_BYTES + b"%" + b"0" * 2000
    with pytest.raises(ValidationError) as exc_info:
        document_upload(
            profile=profile, kind="degree", uploaded_file=upload("big.pdf", big, "application/pdf")
        )
    assert "larger than" in exc_info.value.message_dict["file"][0]
    assert not GraduateDocument.objects.exists()


def test_decompression_bombs_are_refused(profile):
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, format="PNG")  # 144 Mpx, a few kB
    assert len(out.getvalue()) < 100_000
    with pytest.raises(ValidationError) as exc_info:
        document_upload(
            profile=profile,
            kind="photo",
            uploaded_file=upload("bomb.png", out.getvalue(), "image/png"),
        )
    assert "too many pixels" in exc_info.value.message_dict["file"][0]


def test_upload_page_shows_errors_and_stores_nothing(client, graduate):
    client.force_login(graduate)
    response = client.post(
        reverse("jobs:document_upload"),
        {"kind": "photo", "file": upload("cat.jpg", SVG_BYTES)},
    )
    assert response.status_code == 400
    assert "JPEG or PNG" in response.content.decode()
    assert not GraduateDocument.objects.exists()

    response = client.post(
        reverse("jobs:document_upload"),
        {"kind": "photo", "file": upload("me.jpg", image_bytes("JPEG"))},
    )
    assert response.status_code == 302
    assert GraduateDocument.objects.filter(profile__user=graduate).count() == 1


def test_owner_deletes_a_document_and_its_file(
    client, graduate, profile, django_capture_on_commit_callbacks
):
    document = document_upload(
        profile=profile, kind="photo", uploaded_file=upload("me.jpg", image_bytes("JPEG"))
    )
    path = Path(document.file.path)
    assert path.exists()
    client.force_login(make_graduate())
    assert client.post(reverse("jobs:document_delete", args=[document.pk])).status_code == 404
    assert path.exists()

    client.force_login(graduate)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("jobs:document_delete", args=[document.pk]))
    assert response.status_code == 302
    assert not GraduateDocument.objects.filter(pk=document.pk).exists()
    assert not path.exists()


# --- download permissions ------------------------------------------------------------------------


@pytest.fixture
def document(profile):
    return document_upload(
        profile=profile, kind="diploma", uploaded_file=upload("d.jpg", image_bytes("JPEG"))
    )


def download(client, document):
    return client.get(reverse("jobs:document_download", args=[document.pk]))


def assert_attachment(response, document):
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"diploma-{document.pk}.jpg" in response["Content-Disposition"]
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == stored_bytes(document)


def test_the_owner_downloads_as_an_attachment_without_audit(client, graduate, document):
    client.force_login(graduate)
    assert_attachment(download(client, document), document)
    assert not AuditEvent.objects.filter(action=AuditAction.DOCUMENT_DOWNLOAD).exists()


def test_hr_in_scope_of_an_application_downloads_and_is_audited(
    client, graduate, document, hr_meixian
):
    application = apply(graduate)
    client.force_login(hr_meixian)
    assert_attachment(download(client, document), document)
    event = AuditEvent.objects.get(action=AuditAction.DOCUMENT_DOWNLOAD)
    assert event.actor == hr_meixian
    assert event.subject_user_id == graduate.pk
    assert event.object_id == str(document.pk)
    assert event.region == application.round.region
    assert event.ip_address == "127.0.0.1"


def test_hr_of_another_county_gets_404(client, graduate, document, hr_tianhe):
    apply(graduate)  # a 梅县区 round
    client.force_login(hr_tianhe)
    assert download(client, document).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.DOCUMENT_DOWNLOAD).exists()


def test_hr_in_scope_without_an_application_gets_404(client, graduate, document, hr_meixian):
    # The graduate's hometown is in 梅县区, but they have not applied to its rounds.
    client.force_login(hr_meixian)
    assert download(client, document).status_code == 404


def test_hr_sees_through_an_application_to_their_own_county_only(
    client, graduate, document, hr_tianhe
):
    apply(graduate, county=TIANHE)
    client.force_login(hr_tianhe)
    assert download(client, document).status_code == 200


def test_another_graduate_gets_404(client, document, regions):
    client.force_login(user_with_role(Role.GRADUATE))
    assert download(client, document).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, document):
    response = download(client, document)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_documents_are_in_the_data_export(client, graduate, document):
    client.force_login(graduate)
    response = client.post(reverse("jobs:my_data_download"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert f"documents/diploma-{document.pk}.jpg" in archive.namelist()
