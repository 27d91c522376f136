"""The XLSX export of a round: written in the background (eager Celery in tests), masked ID
numbers, every application one row, audited (count only), downloadable only by the officer
who asked or HR in scope, as an attachment."""

import io

from django.urls import reverse

import pytest
from openpyxl import load_workbook

from accounts.choices import AuditAction, Role
from accounts.models import AuditEvent
from jobs.choices import ApplicationStatus
from jobs.crypto import personal_decrypt
from jobs.models import ExportJob, ExportStatus
from jobs.services.exports import export_run, export_start
from tests.accounts.helpers import give_totp
from tests.factories import user_with_role

from .helpers import MEIXIAN, make_application


@pytest.fixture
def applications(round_review, posts):
    return [
        make_application(round_review, posts, real_name="张三"),
        make_application(
            round_review, posts[1:], status=ApplicationStatus.SCORED, written=80, interview=70
        ),
        make_application(round_review, [posts[2]]),
    ]


def start(client, round_, capture):
    with capture(execute=True):
        response = client.post(reverse("jobs:hr_export", args=[round_.pk]))
    assert response.status_code == 302
    return ExportJob.objects.get()


def read(response) -> list[tuple]:
    data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


def test_export_file_content_audit_and_download(
    client, hr_meixian, round_review, applications, django_capture_on_commit_callbacks
):
    client.force_login(hr_meixian)
    job = start(client, round_review, django_capture_on_commit_callbacks)
    assert job.status == ExportStatus.DONE
    assert (job.done, job.total, job.percent) == (3, 3, 100)
    status = client.get(reverse("jobs:hr_export_status", args=[job.pk]))
    assert reverse("jobs:hr_export_download", args=[job.pk]) in status.content.decode()
    assert (
        client.get(reverse("jobs:hr_export_status", args=[job.pk]), {"format": "json"}).json()[
            "status"
        ]
        == "done"
    )

    response = client.get(reverse("jobs:hr_export_download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = read(response)
    header, body = rows[0], rows[1:]
    assert len(header) == 19 + round_review.max_preferences
    assert len(body) == 3
    masked = {a.applicant.graduate_profile.id_number_masked for a in applications}
    assert {row[2] for row in body} == masked
    flat = repr(rows)
    for a in applications:
        assert personal_decrypt(a.applicant.graduate_profile.id_number_encrypted) not in flat
    scored = next(row for row in body if row[0] == applications[1].pk)
    assert scored[15:18] == (80, 70, 75)
    first = next(row for row in body if row[0] == applications[0].pk)
    assert [c.split(" · ")[0] for c in first[19:] if c] == posts_village_names(applications[0])

    events = AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("pk")
    assert [e.detail["step"] for e in events] == ["requested", "download"]
    assert all(e.detail["count"] == 3 for e in events)
    assert all(e.actor == hr_meixian for e in events)
    assert "张三" not in repr([e.detail for e in events])


def posts_village_names(application):
    return [p.post.village.name for p in application.preferences.order_by("rank")]


def test_export_headers_in_english_for_an_english_officer(round_review, applications, hr_meixian):
    hr_meixian.preferred_language = "en"
    hr_meixian.save()
    job = ExportJob.objects.create(round=round_review, requested_by=hr_meixian)
    export_run(export_id=job.pk)
    job.refresh_from_db()
    sheet = load_workbook(job.file.path, read_only=True).worksheets[0]
    header = next(sheet.iter_rows(values_only=True))
    assert header[:3] == ("Application no.", "Name", "ID number (masked)")
    assert "Choice 1" in header


def test_download_permissions(
    client, hr_meixian, hr_tianhe, round_review, applications, django_capture_on_commit_callbacks
):
    client.force_login(hr_meixian)
    job = start(client, round_review, django_capture_on_commit_callbacks)
    download = reverse("jobs:hr_export_download", args=[job.pk])
    status = reverse("jobs:hr_export_status", args=[job.pk])
    client.force_login(hr_tianhe)
    assert client.get(download).status_code == 404
    assert client.get(status).status_code == 404
    colleague = user_with_role(Role.HR_OFFICER, MEIXIAN)
    give_totp(colleague)
    client.force_login(colleague)
    assert client.get(download).status_code == 200
    client.force_login(applications[0].applicant)
    assert client.get(download).status_code == 403
    client.logout()
    assert client.get(download).status_code == 302


def test_an_officer_of_another_county_cannot_start_an_export(client, hr_tianhe, round_review):
    client.force_login(hr_tianhe)
    assert client.post(reverse("jobs:hr_export", args=[round_review.pk])).status_code == 404
    assert not ExportJob.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_a_running_export_is_not_downloadable(client, hr_meixian, round_review, applications):
    job = export_start(round_=round_review, actor=hr_meixian)  # on_commit never fires here
    client.force_login(hr_meixian)
    assert client.get(reverse("jobs:hr_export_download", args=[job.pk])).status_code == 404
    page = client.get(reverse("jobs:hr_export_status", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' in page
