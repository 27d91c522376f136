"""A graduate's rights: download everything, delete the account (what the law needs stays)."""

import io
import json
import zipfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.urls import reverse

import pytest

from accounts.choices import AuditAction, Role
from accounts.models import AuditEvent
from jobs.crypto import personal_decrypt
from jobs.models import (
    Application,
    ConsentRecord,
    GraduateDocument,
    GraduateProfile,
    Offer,
    Placement,
)
from jobs.services.documents import document_upload
from jobs.services.personal_data import account_delete
from jobs.services.profiles import graduate_profile_save
from tests.factories import PASSWORD, user_with_role

from .conftest import PDF_BYTES, image_bytes, upload
from .helpers import apply, place, reauthenticate

User = get_user_model()


@pytest.fixture
def graduate(regions, profile_data):
    user = user_with_role(Role.GRADUATE, email="mei@example.gd.cn")
    graduate_profile_save(user=user, data=profile_data())
    profile = user.graduate_profile
    document_upload(profile=profile, kind="photo", uploaded_file=upload("me.jpg", image_bytes()))
    document_upload(
        profile=profile,
        kind="degree",
        uploaded_file=upload("degree.pdf", PDF_BYTES, "application/pdf"),
    )
    return user


def test_my_data_download_holds_everything_including_the_full_id_number(client, graduate):
    application = apply(graduate)
    client.force_login(graduate)
    assert client.get(reverse("jobs:my_data_download")).status_code == 405

    response = client.post(reverse("jobs:my_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("data.json"))

    profile = graduate.graduate_profile
    assert data["graduate_profile"]["id_number"] == personal_decrypt(profile.id_number_encrypted)
    assert data["graduate_profile"]["real_name"] == "李小梅"
    assert data["graduate_profile"]["hometown"]["code"] == profile.hometown.code
    assert data["account"]["email"] == "mei@example.gd.cn"
    assert {c["kind"] for c in data["consents"]} == {"privacy_notice", "sensitive_id_number"}
    assert all(c["text_version"] and c["given_at"] for c in data["consents"])
    assert [a["id"] for a in data["applications"]] == [application.pk]
    assert data["applications"][0]["preferences"][0]["rank"] == 1
    assert data["applications"][0]["events"][0]["to_status"] == "submitted"
    files = [d["file"] for d in data["documents"]]
    assert len(files) == 2
    for name in files:
        assert name in archive.namelist()
    pdf = next(n for n in files if n.endswith(".pdf"))
    assert archive.read(pdf) == PDF_BYTES

    event = AuditEvent.objects.get(action=AuditAction.DATA_DOWNLOAD)
    assert event.subject_user_id == graduate.pk
    assert "id_number" not in json.dumps(event.detail)


def test_placements_and_offers_are_in_the_export(graduate):
    from jobs.services.personal_data import personal_data_collect

    placement = place(graduate)
    data, _files = personal_data_collect(user=graduate)
    assert data["placements"][0]["id"] == placement.pk
    assert data["applications"][0]["offers"][0]["status"] == "accepted"


def test_account_deletion_asks_for_the_password_again(client, graduate):
    client.force_login(graduate)
    page = client.get(reverse("jobs:account_delete"))
    assert page.status_code == 200
    response = client.post(reverse("jobs:account_delete"), {"confirm": "on"})
    assert response.status_code == 302
    assert "/accounts/reauthenticate/" in response["Location"]
    assert User.objects.filter(pk=graduate.pk).exists()

    done = reauthenticate(client, response["Location"])
    assert done.status_code == 302
    assert not User.objects.filter(pk=graduate.pk).exists()
    # Signed out.
    assert "_auth_user_id" not in client.session


def test_unticked_confirmation_deletes_nothing(client, graduate):
    client.force_login(graduate)
    reauthenticate(client)
    response = client.post(reverse("jobs:account_delete"), {})
    assert response.status_code == 400
    assert User.objects.filter(pk=graduate.pk, is_active=True).exists()


def test_without_what_the_law_keeps_the_account_is_deleted(
    graduate, django_capture_on_commit_callbacks
):
    user_id = graduate.pk
    application = apply(graduate)
    paths = [Path(d.file.path) for d in graduate.graduate_profile.documents.all()]
    assert all(p.exists() for p in paths)

    with django_capture_on_commit_callbacks(execute=True):
        assert account_delete(user=graduate) == "deleted"

    assert not User.objects.filter(pk=user_id).exists()
    assert not GraduateProfile.objects.exists()
    assert not GraduateDocument.objects.exists()
    assert not ConsentRecord.objects.exists()
    assert not Application.objects.filter(pk=application.pk).exists()
    assert not any(p.exists() for p in paths)
    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_DELETE)
    assert event.subject_user_id == user_id
    assert event.actor is None
    assert "mei@" not in event.actor_label
    assert event.detail == {"mode": "deleted"}


def test_with_a_placement_the_account_is_anonymised_and_the_record_kept(
    graduate, django_capture_on_commit_callbacks
):
    placement = place(graduate)
    pending = apply(graduate)  # another round, still in progress: withdrawn by deletion
    AuditEvent.objects.create(action=AuditAction.EXPORT, subject_user_id=graduate.pk)
    audits_before = AuditEvent.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        assert account_delete(user=graduate) == "anonymised"

    user = User.objects.get(pk=graduate.pk)
    assert user.email == f"deleted-{user.pk}@invalid"
    assert user.full_name == ""
    assert user.phone == ""
    assert user.home_region is None
    assert not user.is_active
    assert not user.has_usable_password()
    assert not user.grants.exists()
    assert not user.emailaddress_set.exists()
    assert not GraduateProfile.objects.exists()
    assert not GraduateDocument.objects.exists()
    assert not ConsentRecord.objects.exists()
    # What the law requires stays.
    assert Placement.objects.filter(pk=placement.pk, user=user).exists()
    assert Offer.objects.filter(pk=placement.offer_id).exists()
    assert Application.objects.filter(pk=placement.offer.application_id).exists()
    assert not Application.objects.filter(pk=pending.pk).exists()
    assert AuditEvent.objects.count() == audits_before + 1
    assert AuditEvent.objects.get(action=AuditAction.ACCOUNT_DELETE).detail == {
        "mode": "anonymised"
    }


def test_the_anonymised_account_cannot_sign_in(client, graduate):
    place(graduate)
    account_delete(user=graduate)
    response = client.post(
        "/zh-hans/accounts/login/", {"login": "mei@example.gd.cn", "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
