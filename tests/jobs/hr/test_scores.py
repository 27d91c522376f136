"""Scores by hand and by CSV/XLSX import: a dry run, a row-by-row report, nothing imported when
any row fails (unknown ID, not in this round, non-numeric, out of range, duplicate), the
eligible applications becoming SCORED on success."""

import io
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

import pytest
from openpyxl import Workbook

from jobs.choices import ApplicationStatus, RoundStage
from jobs.crypto import personal_decrypt
from jobs.models import Application
from jobs.services.scores import (
    ImportFileError,
    ImportInvalid,
    score_set,
    scores_import_commit,
    scores_import_validate,
)
from tests.jobs.builders import make_id_number, make_post, make_round

from .helpers import MEIXIAN, make_application


@pytest.fixture
def scoring_round(meixian_villages):
    return make_round(MEIXIAN, stage=RoundStage.SCORING, weight_written=40, weight_interview=60)


@pytest.fixture
def eligible(scoring_round, meixian_villages):
    post = make_post(scoring_round, meixian_villages[0])
    return [
        make_application(scoring_round, [post], status=ApplicationStatus.ELIGIBLE) for _ in range(3)
    ]


def id_of(application) -> str:
    return personal_decrypt(application.applicant.graduate_profile.id_number_encrypted)


def csv_bytes(rows, header="身份证号,笔试成绩,面试成绩", encoding="utf-8") -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode(encoding)


def xlsx_bytes(rows, header=("身份证号", "笔试成绩", "面试成绩")) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def wrong_check_digit(value: str) -> str:
    return value[:17] + ("0" if value[17] != "0" else "1")


def statuses(applications) -> list[str]:
    return [Application.objects.get(pk=a.pk).status for a in applications]


def test_a_valid_csv_is_checked_then_imported(
    scoring_round, eligible, hr_meixian, django_capture_on_commit_callbacks
):
    # Spaces and a lower-case x in an ID number are normalised like everywhere else.
    rows = [
        f"{id_of(eligible[0])},85.5,90",
        f"{' '.join([id_of(eligible[1])[:6], id_of(eligible[1])[6:]]).lower()},70,80.25",
        f"{id_of(eligible[2])},0,100",
    ]
    data = csv_bytes(rows)
    report = scores_import_validate(round_=scoring_round, data=data)
    assert report.ok, report.errors
    assert report.new_scored == 3
    assert statuses(eligible) == ["eligible"] * 3  # the dry run wrote nothing
    with django_capture_on_commit_callbacks(execute=True):
        scores_import_commit(round_=scoring_round, data=data, actor=hr_meixian)
    first = Application.objects.get(pk=eligible[0].pk)
    assert (first.status, first.written_score, first.interview_score) == (
        "scored",
        Decimal("85.50"),
        Decimal("90.00"),
    )
    assert statuses(eligible) == ["scored"] * 3
    assert first.events.get().to_status == "scored"


def test_a_valid_xlsx_by_application_number_is_imported(scoring_round, eligible, hr_meixian):
    data = xlsx_bytes(
        [(a.pk, 60 + i, 75.5) for i, a in enumerate(eligible)],
        header=("application_id", "written", "interview"),
    )
    scores_import_commit(round_=scoring_round, data=data, actor=hr_meixian)
    assert [Application.objects.get(pk=a.pk).written_score for a in eligible] == [60, 61, 62]


def test_any_bad_row_means_nothing_is_imported(
    scoring_round, eligible, hr_meixian, meixian_villages
):
    other_round = make_round(MEIXIAN, stage=RoundStage.SCORING)
    elsewhere = make_application(
        other_round,
        [make_post(other_round, meixian_villages[1])],
        status=ApplicationStatus.ELIGIBLE,
    )
    fourth = make_application(scoring_round, [], status=ApplicationStatus.ELIGIBLE)
    rejected = make_application(scoring_round, [], status=ApplicationStatus.REJECTED)
    rows = [
        f"{id_of(eligible[0])},85,90",  # line 2: fine
        f"{make_id_number()},80,80",  # 3: nobody has this ID number
        f"{id_of(elsewhere)},80,80",  # 4: applied to another round only
        f"{id_of(eligible[1])},八十,80",  # 5: not a number
        f"{id_of(eligible[2])},80,100.5",  # 6: out of range
        f"{id_of(eligible[0])},70,70",  # 7: duplicate of line 2
        "44140320020517901,80,80",  # 8: 17 characters
        f"{id_of(rejected)},80,80",  # 9: not eligible
        f"{wrong_check_digit(id_of(fourth))},80,80",  # 10: check digit
        ",80,80",  # 11: no identifier
        f"{id_of(fourth)},-1,",  # 12: negative, and missing interview
    ]
    data = csv_bytes(rows)
    report = scores_import_validate(round_=scoring_round, data=data)
    lines = {e.line for e in report.errors}
    assert lines == {3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
    by_line = {}
    for e in report.errors:
        by_line.setdefault(e.line, []).append((e.column, e.message))
    assert by_line[5][0][0] == "笔试成绩"
    assert by_line[6][0][0] == "面试成绩"
    assert "2" in by_line[7][0][1]  # names the first line
    assert len(by_line[12]) == 2
    with pytest.raises(ImportInvalid):
        scores_import_commit(round_=scoring_round, data=data, actor=hr_meixian)
    assert statuses(eligible) == ["eligible"] * 3
    assert Application.objects.get(pk=eligible[0].pk).written_score is None


def test_the_report_never_shows_a_full_id_number(scoring_round, eligible):
    report = scores_import_validate(
        round_=scoring_round, data=csv_bytes([f"{id_of(eligible[0])},80,80"])
    )
    assert report.rows[0].id_masked == eligible[0].applicant.graduate_profile.id_number_masked


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, ".xls"),
        (b"PK\x03\x04garbage", "Excel"),
        ("姓名,笔试成绩\r\n张三,80\r\n".encode(), "id_number"),
        ("身份证号,笔试成绩,面试成绩\r\n".encode(), "no scores"),
        (b"\x00\x01\x02binary", "CSV"),
    ],
)
def test_malformed_files_are_refused_whole(scoring_round, data, message):
    with translation.override("en"), pytest.raises(ImportFileError) as exc:
        scores_import_validate(round_=scoring_round, data=data)
    assert message in exc.value.message


def test_gbk_csv_with_english_headers(scoring_round, eligible, hr_meixian):
    data = csv_bytes(
        [f"{id_of(a)},88,77" for a in eligible],
        header="ID number,Written,Interview",
        encoding="gbk",
    )
    scores_import_commit(round_=scoring_round, data=data, actor=hr_meixian)
    assert statuses(eligible) == ["scored"] * 3


def test_import_only_at_the_scoring_stage(round_review, posts, hr_meixian):
    application = make_application(round_review, posts, status=ApplicationStatus.ELIGIBLE)
    with pytest.raises(ValidationError) as exc:
        scores_import_commit(
            round_=round_review, data=csv_bytes([f"{id_of(application)},80,80"]), actor=hr_meixian
        )
    assert exc.value.code == "stage"


def test_corrected_scores_keep_the_status(scoring_round, eligible, hr_meixian):
    score_set(application=eligible[0], written="80", interview="90", actor=hr_meixian)
    score_set(application=eligible[0], written="81", interview="90", actor=hr_meixian)
    application = Application.objects.get(pk=eligible[0].pk)
    assert (application.status, application.written_score) == ("scored", 81)
    assert application.events.count() == 1


@pytest.mark.parametrize("bad", ["abc", "101", "-0.5", "80.123", "", "NaN", "Infinity"])
def test_score_by_hand_refuses_bad_values(scoring_round, eligible, hr_meixian, bad):
    with pytest.raises(ValidationError) as exc:
        score_set(application=eligible[0], written=bad, interview="80", actor=hr_meixian)
    assert "written_score" in exc.value.message_dict
    assert Application.objects.get(pk=eligible[0].pk).status == "eligible"


def test_score_by_hand_needs_an_eligible_application(scoring_round, hr_meixian):
    submitted = make_application(scoring_round, [])
    with pytest.raises(ValidationError):
        score_set(application=submitted, written="80", interview="80", actor=hr_meixian)


# --- through the pages ---------------------------------------------------------------------------


def upload(client, round_, data, name="scores.csv"):
    return client.post(
        reverse("jobs:hr_scores_import", args=[round_.pk]),
        {"file": SimpleUploadedFile(name, data, content_type="application/octet-stream")},
    )


def test_upload_dry_run_then_confirm(client, hr_meixian, scoring_round, eligible):
    client.force_login(hr_meixian)
    response = upload(client, scoring_round, csv_bytes([f"{id_of(a)},80,80" for a in eligible]))
    assert response.status_code == 200
    html = response.content.decode()
    token = response.context["token"]
    assert token
    assert id_of(eligible[0]) not in html
    assert eligible[0].applicant.graduate_profile.id_number_masked in html
    assert statuses(eligible) == ["eligible"] * 3
    response = client.post(
        reverse("jobs:hr_scores_import", args=[scoring_round.pk]), {"token": token}
    )
    assert response.status_code == 302
    assert statuses(eligible) == ["scored"] * 3
    # The same token cannot import twice.
    response = client.post(
        reverse("jobs:hr_scores_import", args=[scoring_round.pk]), {"token": token}, follow=True
    )
    assert any("expired" in str(m) or "过期" in str(m) for m in response.context["messages"])


def test_upload_with_errors_shows_them_and_offers_no_confirm(
    client, hr_meixian, scoring_round, eligible
):
    client.force_login(hr_meixian)
    response = upload(
        client, scoring_round, csv_bytes([f"{id_of(eligible[0])},abc,80"]), name="bad.csv"
    )
    assert response.context["report"].errors
    assert response.context["token"] is None
    assert 'name="token"' not in response.content.decode()


def test_upload_of_a_malformed_file_is_a_form_error(client, hr_meixian, scoring_round):
    client.force_login(hr_meixian)
    response = upload(client, scoring_round, b"PK\x03\x04broken", name="x.xlsx")
    assert response.context["form"].errors["file"]


def confirm(client, round_, token, follow=True):
    return client.post(
        reverse("jobs:hr_scores_import", args=[round_.pk]), {"token": token}, follow=follow
    )


def dry_run_token(client, round_, applications) -> str:
    response = upload(client, round_, csv_bytes([f"{id_of(a)},80,80" for a in applications]))
    assert response.context["report"].ok
    return response.context["token"]


def assert_confirm_refused(client, round_, token, applications) -> None:
    with translation.override("en"):
        response = confirm(client, round_, token)
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["That upload has expired or was already imported. Upload the file again."]
    assert statuses(applications) == ["eligible"] * len(applications)


def test_a_kept_upload_is_bound_to_its_round(client, hr_meixian, scoring_round, eligible):
    other_round = make_round(MEIXIAN, stage=RoundStage.SCORING)
    client.force_login(hr_meixian)
    token = dry_run_token(client, scoring_round, eligible)
    assert_confirm_refused(client, other_round, token, eligible)


def test_a_kept_upload_is_bound_to_its_session(client, hr_meixian, scoring_round, eligible):
    client.force_login(hr_meixian)
    token = dry_run_token(client, scoring_round, eligible)
    other = Client()
    other.force_login(hr_meixian)
    assert_confirm_refused(other, scoring_round, token, eligible)


def test_a_kept_upload_changed_on_disk_is_refused(
    client, hr_meixian, scoring_round, eligible, private_storage
):
    client.force_login(hr_meixian)
    token = dry_run_token(client, scoring_round, eligible)
    kept = private_storage / "score-imports" / f"{token}.upload"
    kept.write_bytes(csv_bytes([f"{id_of(a)},100,100" for a in eligible]))
    assert_confirm_refused(client, scoring_round, token, eligible)


def test_a_confirmed_upload_is_deleted(
    client, hr_meixian, scoring_round, eligible, private_storage
):
    client.force_login(hr_meixian)
    token = dry_run_token(client, scoring_round, eligible)
    confirm(client, scoring_round, token, follow=False)
    assert not (private_storage / "score-imports" / f"{token}.upload").exists()
    assert "jobs_score_import" not in client.session


def test_a_file_over_5_mb_is_a_form_error(client, hr_meixian, scoring_round):
    client.force_login(hr_meixian)
    with translation.override("en"):
        response = upload(client, scoring_round, b"x" * (5 * 1024 * 1024 + 1))
        assert response.context["form"].errors["file"] == [
            "The file is larger than 5 MB. Split it into several files."
        ]
    assert "report" not in response.context


def test_a_dry_run_outside_the_scoring_stage_offers_no_confirm(
    client, hr_meixian, round_review, meixian_villages
):
    post = make_post(round_review, meixian_villages[0])
    application = make_application(round_review, [post], status=ApplicationStatus.ELIGIBLE)
    client.force_login(hr_meixian)
    response = upload(client, round_review, csv_bytes([f"{id_of(application)},80,80"]))
    assert response.context["report"].ok
    assert response.context["token"] is None
    assert not response.context["scoring_open"]
    assert 'name="token"' not in response.content.decode()


def test_score_import_of_another_county_is_404(client, hr_tianhe, scoring_round, eligible):
    client.force_login(hr_tianhe)
    response = upload(client, scoring_round, csv_bytes([f"{id_of(eligible[0])},80,80"]))
    assert response.status_code == 404


def test_score_form_on_the_detail_page(client, hr_meixian, scoring_round, eligible):
    client.force_login(hr_meixian)
    url = reverse("jobs:hr_application_detail", args=[eligible[0].pk])
    response = client.post(
        url, {"action": "score", "written_score": "120", "interview_score": "80"}
    )
    assert response.status_code == 422
    assert response.context["score_form"].errors["written_score"]
    response = client.post(url, {"action": "score", "written_score": "75", "interview_score": "85"})
    assert response.status_code == 302
    application = Application.objects.get(pk=eligible[0].pk)
    assert application.status == "scored"
    assert "81.00" in client.get(url).content.decode()  # 75 × 40% + 85 × 60%
