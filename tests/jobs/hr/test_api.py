"""HR API: the applications list, eligibility decisions and the score file; scope 404s, 403 for
non-HR, 401 for visitors, fields a client may not set ignored, row errors in JSON."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from jobs.choices import ApplicationStatus, RoundStage
from jobs.crypto import personal_decrypt
from jobs.models import Application
from tests.jobs.builders import make_graduate, make_post, make_round

from .helpers import MEIXIAN, make_application

API = "/api/v1"


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_list_applications(client, hr_meixian, round_review, posts):
    a = make_application(round_review, posts, real_name="张三")
    make_application(round_review, [posts[2]], status=ApplicationStatus.ELIGIBLE)
    client.force_login(hr_meixian)
    response = client.get(f"{API}/hr/rounds/{round_review.pk}/applications")
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["page"], body["per_page"]) == (2, 1, 50)
    first = next(r for r in body["results"] if r["id"] == a.pk)
    assert first["name"] == "张三"
    assert first["id_number_masked"] == a.applicant.graduate_profile.id_number_masked
    assert first["first_choice"]["post_id"] == posts[0].pk
    assert [p["rank"] for p in first["preferences"]] == [1, 2, 3]
    assert (
        personal_decrypt(a.applicant.graduate_profile.id_number_encrypted)
        not in response.content.decode()
    )
    filtered = client.get(
        f"{API}/hr/rounds/{round_review.pk}/applications",
        {"eligibility": "pending", "post": posts[0].pk, "choice": "first", "sort": "name"},
    ).json()
    assert [r["id"] for r in filtered["results"]] == [a.pk]


def test_list_scope_and_auth(client, hr_tianhe, round_review):
    url = f"{API}/hr/rounds/{round_review.pk}/applications"
    assert client.get(url).status_code == 401
    client.force_login(hr_tianhe)
    response = client.get(url)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert client.get(f"{API}/hr/rounds/999999/applications").status_code == 404
    client.force_login(make_graduate())
    assert client.get(url).status_code == 403


def test_eligibility_confirm_and_reject(client, hr_meixian, round_review, posts):
    a = make_application(round_review, posts)
    b = make_application(round_review, posts)
    client.force_login(hr_meixian)
    response = post_json(
        client,
        f"{API}/hr/applications/{a.pk}/eligibility",
        # status, round and applicant are not the client's to set: ignored.
        {"decision": "confirm", "status": "in_service", "round": 999, "applicant": 1},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "eligible"
    assert Application.objects.get(pk=a.pk).status == "eligible"

    response = post_json(
        client, f"{API}/hr/applications/{b.pk}/eligibility", {"decision": "reject"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reason"
    assert Application.objects.get(pk=b.pk).status == "submitted"
    response = post_json(
        client,
        f"{API}/hr/applications/{b.pk}/eligibility",
        {"decision": "reject", "reason": "不符合学历要求"},
    )
    assert response.json() | {"reviewed_at": None} == {
        "id": b.pk,
        "status": "rejected",
        "reason": "不符合学历要求",
        "reviewed_at": None,
    }
    response = post_json(client, f"{API}/hr/applications/{b.pk}/eligibility", {"decision": "maybe"})
    assert response.status_code == 422
    response = post_json(client, f"{API}/hr/applications/{b.pk}/eligibility", {})
    assert response.status_code == 422


def test_eligibility_scope_and_stage(
    client, hr_meixian, hr_tianhe, round_review, posts, meixian_villages
):
    a = make_application(round_review, posts)
    client.force_login(hr_tianhe)
    response = post_json(
        client, f"{API}/hr/applications/{a.pk}/eligibility", {"decision": "confirm"}
    )
    assert response.status_code == 404
    matching = make_round(MEIXIAN, stage=RoundStage.MATCHING)
    late = make_application(matching, [make_post(matching, meixian_villages[0])])
    client.force_login(hr_meixian)
    response = post_json(
        client, f"{API}/hr/applications/{late.pk}/eligibility", {"decision": "confirm"}
    )
    assert response.status_code == 422
    assert Application.objects.get(pk=a.pk).status == "submitted"


@pytest.fixture
def scoring(meixian_villages):
    round_ = make_round(MEIXIAN, stage=RoundStage.SCORING)
    post = make_post(round_, meixian_villages[0])
    apps = [make_application(round_, [post], status=ApplicationStatus.ELIGIBLE) for _ in range(2)]
    return round_, apps


def score_file(rows) -> SimpleUploadedFile:
    text = "\r\n".join(["身份证号,笔试成绩,面试成绩", *rows]) + "\r\n"
    return SimpleUploadedFile("scores.csv", text.encode(), content_type="text/csv")


def ident(a) -> str:
    return personal_decrypt(a.applicant.graduate_profile.id_number_encrypted)


def test_scores_upload_dry_run_then_import(client, hr_meixian, scoring):
    round_, apps = scoring
    client.force_login(hr_meixian)
    url = f"{API}/hr/rounds/{round_.pk}/scores"
    rows = [f"{ident(a)},80,90" for a in apps]
    response = client.post(url, {"file": score_file(rows), "dry_run": "true"})
    assert response.status_code == 200, response.content
    assert response.json() == {"dry_run": True, "rows": 2, "imported": 0, "errors": []}
    assert {Application.objects.get(pk=a.pk).status for a in apps} == {"eligible"}
    response = client.post(url, {"file": score_file(rows)})
    assert response.json()["imported"] == 2
    assert {Application.objects.get(pk=a.pk).status for a in apps} == {"scored"}


def test_scores_upload_row_errors_in_json(client, hr_meixian, scoring):
    round_, apps = scoring
    client.force_login(hr_meixian)
    response = client.post(
        f"{API}/hr/rounds/{round_.pk}/scores",
        {"file": score_file([f"{ident(apps[0])},80,90", f"{ident(apps[1])},abc,90", "123,1,1"])},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "row_errors"
    assert [(e["line"], e["column"]) for e in body["errors"]] == [(3, "笔试成绩"), (4, "身份证号")]
    assert {Application.objects.get(pk=a.pk).status for a in apps} == {"eligible"}


def test_scores_upload_bad_file_scope_and_missing_file(client, hr_meixian, hr_tianhe, scoring):
    round_, apps = scoring
    url = f"{API}/hr/rounds/{round_.pk}/scores"
    client.force_login(hr_meixian)
    response = client.post(
        url,
        {"file": SimpleUploadedFile("x.xlsx", b"PK\x03\x04junk", content_type="application/zip")},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_file"
    assert client.post(url, {}).status_code == 422
    client.force_login(hr_tianhe)
    assert client.post(url, {"file": score_file([f"{ident(apps[0])},80,90"])}).status_code == 404
