"""Certificates: issued on completion, drawn in Chinese with a QR code, verified in public, revoked by editors."""

import datetime
import io
import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone, translation

import pytest
from PIL import Image, ImageDraw, ImageFont

from accounts.choices import Role
from tests.accounts.helpers import give_totp
from tests.factories import UserFactory, load_small_regions, region, user_with_role
from tests.training.builders import catalogue, lessons_of, make_course
from training import certificate_render, services
from training.models import Certificate, LearnerClock, LearningPathCourse, LearningPathPage
from training.services import certificates as certs

CODE_RE = re.compile(r"^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{12}$")
MEIXIAN = "441403"  # 梅县区, under 梅州市 441400
MEIZHOU = "441400"
TIANHE = "440106"  # 天河区, 广州
PROVINCE = "440000"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Certificate images go to a throwaway MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def regions(db):
    load_small_regions()


@pytest.fixture
def cadre(regions):
    return user_with_role(Role.CADRE, full_name="张小三", home_region=region(MEIXIAN))


def finish_lessons(user, course):
    """Open each lesson and send a minute of regular heartbeats: the server sees the time."""
    clock = LearnerClock.objects.filter(user=user).first()
    start = (
        clock.last_beat_at + datetime.timedelta(minutes=5)
        if clock
        else timezone.now() - datetime.timedelta(hours=3)
    )
    seq = clock.last_seq if clock else 0
    for n, lesson in enumerate(lessons_of(course)):
        services.lesson_open(user=user, lesson=lesson)
        for beat in range(5):  # 0, 15, 30, 45, 60 s: a one-minute lesson
            seq += 1
            at = start + datetime.timedelta(minutes=5 * n, seconds=15 * beat)
            services.heartbeat_record(
                user_id=user.pk, lesson_id=lesson.pk, device="phone", seq=seq, now=at
            )


def pass_quiz(user, course):
    attempt = services.quiz_attempt_start(user=user, course=course)
    # The builders' questions have the correct option first.
    answers = {str(qid): [0] for qid in attempt.question_ids}
    return services.quiz_attempt_submit(user=user, attempt_id=attempt.pk, answers=answers)


def complete_course(user, course, capture):
    """Enrol, learn and (if there is one) pass the quiz, running on-commit work as a real commit would."""
    with capture(execute=True):
        services.enrollment_create(user=user, course=course)
        finish_lessons(user, course)
        if course.quiz_question_count:
            pass_quiz(user, course)


def make_path(title, courses) -> LearningPathPage:
    path = LearningPathPage(
        title=title, slug=f"path-{LearningPathPage.objects.count() + 1}", summary="岗前培训路径。"
    )
    path.path_courses = [LearningPathCourse(course=c, sort_order=i) for i, c in enumerate(courses)]
    catalogue().add_child(instance=path)
    path.save_revision().publish()
    return path


def certificate_for(user, *, title="数据安全基础", code="ABCDEFGH2345", hours="2.0", **fields):
    """A certificate row without the rendering, for the verification and revocation tests."""
    course = fields.pop("course", None) or make_course(
        title=title, lessons=1, questions=0, quiz_question_count=0
    )
    return Certificate.objects.create(
        code=code,
        user=user,
        course=course,
        title=title,
        holder_name=user.full_name,
        hours=Decimal(hours),
        **fields,
    )


def qr_matrix_in(image: Image.Image, modules: int) -> list[list[bool]]:
    """Read the QR modules back from the image by sampling the centre of each one."""
    left, top = certificate_render.qr_origin(modules)
    size = certificate_render.QR_MODULE_PX
    grey = image.convert("L")
    return [
        [
            grey.getpixel((left + col * size + size // 2, top + row * size + size // 2)) < 128
            for col in range(modules)
        ]
        for row in range(modules)
    ]


def expected_matrix(url: str) -> list[list[bool]]:
    return [[bool(b) for b in row] for row in certificate_render.qr_code(url).matrix]


# --- issuing ---------------------------------------------------------------------------------------


def test_completing_a_course_issues_a_certificate_drawn_as_png_and_pdf(
    cadre, django_capture_on_commit_callbacks, media_root
):
    course = make_course(
        title="数据安全基础", lessons=2, questions=3, quiz_question_count=2, hours="2.5"
    )
    complete_course(cadre, course, django_capture_on_commit_callbacks)

    certificate = Certificate.objects.get(user=cadre)
    assert certificate.course_id == course.pk and certificate.path_id is None
    assert CODE_RE.match(certificate.code)
    assert certificate.title == "数据安全基础"
    assert certificate.holder_name == "张小三"
    assert certificate.hours == Decimal("2.5")
    assert certificate.is_valid

    assert certificate.png.name.startswith("certificates/") and certificate.pdf.name.startswith(
        "certificates/"
    )
    assert (media_root / certificate.png.name).is_file()
    image = Image.open(io.BytesIO(certificate.png.read()))
    assert image.format == "PNG" and image.size == certificate_render.SIZE
    pdf = certificate.pdf.read()
    assert pdf.startswith(b"%PDF-") and b"/MediaBox" in pdf
    # The file names are not guessable from the code printed on the paper.
    assert certificate.png.name != f"certificates/{certificate.code}.png"


def test_the_qr_code_on_the_stored_image_links_to_the_language_neutral_verify_url(
    cadre, django_capture_on_commit_callbacks
):
    course = make_course(lessons=1, questions=0, quiz_question_count=0)
    complete_course(cadre, course, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(user=cadre)

    url = certs.verify_url(certificate.code)
    assert url == f"http://testserver/verify/{certificate.code}/"
    image = Image.open(io.BytesIO(certificate.png.read()))
    expected = expected_matrix(url)
    assert qr_matrix_in(image, len(expected)) == expected
    # The check can tell codes apart: the QR for another certificate is a different pattern.
    assert expected_matrix(certs.verify_url("ZZZZZZZZZZZZ")) != expected


def test_the_certificate_is_drawn_with_a_simplified_chinese_font():
    for face in certificate_render.fonts().values():
        family, _style = ImageFont.truetype(face.path, 12, index=face.index).getname()
        assert "CJK SC" in family or "WenQuanYi" in family, family


def test_without_a_cjk_font_rendering_fails_with_a_clear_message(monkeypatch, settings):
    settings.CERTIFICATE_FONT = ""
    monkeypatch.setattr(certificate_render, "_fc_list_chinese", list)
    with pytest.raises(certificate_render.CertificateFontMissing, match="fonts-noto-cjk"):
        certificate_render.find_font(("/nonexistent/NotoSansCJK-Regular.ttc",))


def test_a_long_title_is_wrapped_and_the_image_keeps_its_size():
    rendered = certificate_render.render_certificate(
        code="ABCDEFGH2345",
        holder_name="欧阳小娜",
        title="乡镇政务服务数字化转型实务" * 12,
        is_path=True,
        hours=Decimal("12.5"),
        issued_on=datetime.date(2026, 3, 4),
        verify_url="http://testserver/verify/ABCDEFGH2345/",
        issuer="广东省乡村数字人才平台",
    )
    assert Image.open(io.BytesIO(rendered.png)).size == certificate_render.SIZE
    assert rendered.pdf.startswith(b"%PDF-")


def test_closing_punctuation_never_starts_a_line_of_the_certificate_text():
    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    font = certificate_render._font("body", 46)
    text = "于2026年3月4日完成「" + "数" * 23 + "」课程的全部学习内容，计 2 学时，特发此证。"
    for width in range(900, 1400, 23):
        lines = certificate_render._wrap(draw, text, font, width)
        assert "".join(lines).replace(" ", "") == text.replace(
            " ", ""
        )  # spaces at a break are dropped
        assert not any(line[0] in certificate_render.NO_LINE_START for line in lines[1:])


def test_no_certificate_for_a_course_that_is_not_complete(
    cadre, django_capture_on_commit_callbacks
):
    course = make_course(lessons=2, questions=3, quiz_question_count=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrollment_create(user=cadre, course=course)
        finish_lessons(cadre, course)  # lessons done, quiz not taken
    assert not Certificate.objects.filter(user=cadre).exists()
    assert certs.certificates_issue_for(user_id=cadre.pk, course_id=course.pk) == []


def test_issuing_again_returns_the_same_code_and_redraws_only_a_missing_image(
    cadre, django_capture_on_commit_callbacks
):
    course = make_course(lessons=1, questions=0, quiz_question_count=0)
    complete_course(cadre, course, django_capture_on_commit_callbacks)
    first = Certificate.objects.get(user=cadre)

    assert certs.certificates_issue_for(user_id=cadre.pk, course_id=course.pk) == [first.code]
    again = Certificate.objects.get(user=cadre)
    assert again.png.name == first.png.name  # not drawn a second time
    assert Certificate.objects.filter(user=cadre).count() == 1

    Certificate.objects.filter(pk=first.pk).update(png="")  # say the worker died while drawing
    assert certs.certificates_issue_for(user_id=cadre.pk, course_id=course.pk) == [first.code]
    redrawn = Certificate.objects.get(pk=first.pk)
    assert redrawn.png.name and default_storage.exists(redrawn.png.name)


def test_the_holder_name_falls_back_to_the_e_mail_local_part(
    regions, django_capture_on_commit_callbacks
):
    learner = UserFactory(full_name="", email="wang.fang@example.gd.cn")
    course = make_course(lessons=1, questions=0, quiz_question_count=0)
    complete_course(learner, course, django_capture_on_commit_callbacks)
    assert Certificate.objects.get(user=learner).holder_name == "wang.fang"


def test_codes_are_12_unambiguous_characters_and_random():
    codes = [certs.code_generate() for _ in range(2000)]
    assert all(CODE_RE.match(c) for c in codes)
    assert not set("".join(codes)) & set("0O1I")
    assert len(set(codes)) == len(codes)


def test_a_code_that_is_already_taken_is_drawn_again(cadre, monkeypatch):
    other = UserFactory()
    taken = certificate_for(other, code="TAKEN2345678")
    course = make_course(title="网络安全", lessons=1, questions=0, quiz_question_count=0)
    drawn = iter(["TAKEN2345678", "FRESH2345678"])
    monkeypatch.setattr(certs, "code_generate", lambda: next(drawn))
    certificate = certs._issue(
        user=cadre, course=course, title=course.title, hours=course.declared_hours
    )
    assert certificate.code == "FRESH2345678"
    assert Certificate.objects.get(pk=taken.pk).user == other


def test_finishing_every_course_of_a_path_issues_a_path_certificate_with_their_hours(
    cadre, django_capture_on_commit_callbacks
):
    first = make_course(
        title="政务服务基础", lessons=1, questions=0, quiz_question_count=0, hours="2.0"
    )
    second = make_course(
        title="站点设备操作", lessons=1, questions=0, quiz_question_count=0, hours="3.5"
    )
    path = make_path("公共服务站专职操作员岗前培训", [first, second])

    complete_course(cadre, first, django_capture_on_commit_callbacks)
    assert list(Certificate.objects.filter(user=cadre).values_list("course_id", "path_id")) == [
        (first.pk, None)
    ]

    complete_course(cadre, second, django_capture_on_commit_callbacks)
    path_certificate = Certificate.objects.get(user=cadre, path=path)
    assert path_certificate.title == "公共服务站专职操作员岗前培训"
    assert path_certificate.hours == Decimal("5.5")
    assert path_certificate.png and path_certificate.pdf
    assert Certificate.objects.filter(user=cadre).count() == 3
    # A rerun finds both and issues nothing new.
    codes = certs.certificates_issue_for(user_id=cadre.pk, course_id=second.pk)
    assert set(codes) == set(
        Certificate.objects.filter(user=cadre, course=second).values_list("code", flat=True)
    ) | {path_certificate.code}
    assert Certificate.objects.filter(user=cadre).count() == 3


def test_a_path_with_a_course_left_gets_no_certificate(cadre, monkeypatch):
    monkeypatch.setattr(certs, "certificate_render", lambda *, certificate: certificate)
    done = make_course(title="已完成", lessons=1, questions=0, quiz_question_count=0)
    left = make_course(title="未完成", lessons=1, questions=0, quiz_question_count=0)
    path = make_path("两门课的路径", [done, left])
    enrollment, _created = services.enrollment_create(user=cadre, course=done)
    enrollment.status, enrollment.completed_at = "completed", timezone.now()
    enrollment.save()
    certs.certificates_issue_for(user_id=cadre.pk, course_id=done.pk)
    assert not Certificate.objects.filter(path=path).exists()
    assert Certificate.objects.filter(course=done).exists()


# --- masking ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("张三", "张*"),
        ("张小三", "张*三"),
        ("欧阳小娜", "欧*娜"),
        ("李", "*"),
        ("Li Wei", "L***"),
        ("wang.fang", "w***"),
        ("", "***"),
    ],
)
def test_holder_names_are_partly_masked(name, shown):
    assert certs.holder_mask(name) == shown


# --- verification page --------------------------------------------------------------------------------


def test_verify_page_shows_a_valid_certificate_with_the_name_masked(cadre, client):
    certificate_for(cadre, code="VALID2345678", title="数据安全基础", hours="2.5")
    for lang in ("zh-hans", "en"):
        response = client.get(f"/{lang}/verify/VALID2345678/")
        html = response.content.decode()
        assert response.status_code == 200
        assert f'<html lang="{lang}">' in html
        assert 'data-status="valid"' in html
        assert "张*三" in html and "张小三" not in html
        assert "数据安全基础" in html and "2.5" in html and "VALID2345678" in html
    assert (
        "This certificate was issued by this platform and has not been revoked." in html
    )  # the English page


def test_verify_page_in_english_gives_the_english_title_of_the_course_beside_the_issued_one(
    cadre, client
):
    from wagtail.models import Locale

    certificate = certificate_for(cadre, code="TRANS2345678", title="数据安全基础")
    english = Locale.objects.get_or_create(language_code="en")[0]
    translated = certificate.course.copy_for_translation(english, copy_parents=True)
    translated.title = "Data security basics"
    translated.save_revision().publish()

    html = client.get("/en/verify/TRANS2345678/").content.decode()
    assert "数据安全基础" in html and "Data security basics" in html
    html = client.get("/zh-hans/verify/TRANS2345678/").content.decode()
    assert "数据安全基础" in html and "Data security basics" not in html


def test_verify_page_says_revoked_with_date_and_reason(cadre, client):
    editor = user_with_role(Role.TRAINING_EDITOR, PROVINCE)
    certificate = certificate_for(cadre, code="REVOK2345678")
    certs.certificate_revoke(certificate=certificate, by=editor, reason="考核记录经核查存在代考")
    html = client.get("/en/verify/REVOK2345678/").content.decode()
    assert 'data-status="revoked"' in html and 'data-status="valid"' not in html
    assert "考核记录经核查存在代考" in html
    assert timezone.localdate().strftime("%Y") in html
    assert "Revoked" in html
    zh = client.get("/zh-hans/verify/REVOK2345678/").content.decode()
    assert 'data-status="revoked"' in zh and "考核记录经核查存在代考" in zh


def test_an_unknown_code_is_a_404_page_that_says_so(regions, client):
    for lang in ("zh-hans", "en"):
        response = client.get(f"/{lang}/verify/NOSUCHCODE22/")
        html = response.content.decode()
        assert response.status_code == 404
        assert 'data-status="unknown"' in html and "NOSUCHCODE22" in html
        assert "Traceback" not in html
    assert "Certificate not found" in html  # the English page


def test_codes_are_looked_up_whatever_their_case_or_dashes(cadre, client):
    certificate_for(cadre, code="MIXED2345678")
    response = client.get("/en/verify/mixed-2345-678/")
    assert response.status_code == 302 and response["Location"] == "/en/verify/MIXED2345678/"


def test_the_qr_link_without_a_language_prefix_is_redirected_to_one(cadre, client):
    certificate_for(cadre, code="QRLNK2345678")
    response = client.get("/verify/QRLNK2345678/")
    assert response.status_code == 302 and response["Location"] == "/zh-hans/verify/QRLNK2345678/"
    english = client.get("/verify/QRLNK2345678/", HTTP_ACCEPT_LANGUAGE="en")
    assert english["Location"] == "/en/verify/QRLNK2345678/"
    assert client.get(english["Location"]).status_code == 200


def test_the_lookup_form_takes_a_typed_code_to_its_page(cadre, client):
    certificate_for(cadre, code="TYPED2345678")
    assert client.get("/en/verify/").status_code == 200
    response = client.get("/en/verify/", {"code": " typed 2345 678 "})
    assert response["Location"] == "/en/verify/TYPED2345678/"


def test_visitors_see_a_revocation_at_once_the_page_is_never_cached(cadre, client, settings):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    certificate = certificate_for(cadre, code="CACHE2345678")
    first = client.get("/en/verify/CACHE2345678/")
    assert "no-cache" in first["Cache-Control"]
    certs.certificate_revoke(
        certificate=certificate, by=user_with_role(Role.ADMIN), reason="重复发证"
    )
    assert 'data-status="revoked"' in client.get("/en/verify/CACHE2345678/").content.decode()


# --- revocation ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "scope", "allowed"),
    [
        (Role.CADRE, None, False),
        (Role.HR_OFFICER, MEIZHOU, False),
        (Role.TRAINING_EDITOR, TIANHE, False),  # another region
        (Role.TRAINING_EDITOR, MEIZHOU, True),  # the holder's city
        (Role.TRAINING_EDITOR, PROVINCE, True),
        (Role.ADMIN, None, True),
    ],
)
def test_who_may_revoke(cadre, role, scope, allowed):
    certificate = certificate_for(cadre)
    actor = user_with_role(role, scope)
    if allowed:
        certs.certificate_revoke(certificate=certificate, by=actor, reason="成绩作废")
        certificate.refresh_from_db()
        assert certificate.revoked_at is not None and certificate.revoked_by == actor
        assert certificate.revoked_reason == "成绩作废" and not certificate.is_valid
    else:
        with pytest.raises(PermissionDenied):
            certs.certificate_revoke(certificate=certificate, by=actor, reason="成绩作废")
        certificate.refresh_from_db()
        assert certificate.is_valid


def test_a_holder_without_a_region_can_be_revoked_only_by_province_editors(regions):
    holder = UserFactory(full_name="李四")
    certificate = certificate_for(holder)
    with pytest.raises(PermissionDenied):
        certs.certificate_revoke(
            certificate=certificate, by=user_with_role(Role.TRAINING_EDITOR, MEIZHOU), reason="x"
        )
    certs.certificate_revoke(
        certificate=certificate, by=user_with_role(Role.TRAINING_EDITOR, PROVINCE), reason="x"
    )
    assert not Certificate.objects.get(pk=certificate.pk).is_valid


def test_revoking_needs_a_reason_and_happens_once(cadre):
    editor = user_with_role(Role.TRAINING_EDITOR, MEIZHOU)
    certificate = certificate_for(cadre)
    with pytest.raises(ValidationError) as blank:
        certs.certificate_revoke(certificate=certificate, by=editor, reason="   ")
    assert "reason" in blank.value.message_dict
    with pytest.raises(ValidationError) as too_long:
        certs.certificate_revoke(certificate=certificate, by=editor, reason="长" * 301)
    assert "reason" in too_long.value.message_dict
    assert Certificate.objects.get(pk=certificate.pk).is_valid

    certs.certificate_revoke(certificate=certificate, by=editor, reason="重复发证")
    revoked_at = Certificate.objects.get(pk=certificate.pk).revoked_at
    with translation.override("en"), pytest.raises(ValidationError, match="already revoked"):
        certs.certificate_revoke(certificate=certificate, by=editor, reason="再次撤销")
    again = Certificate.objects.get(pk=certificate.pk)
    assert again.revoked_at == revoked_at and again.revoked_reason == "重复发证"


def signed_in(client, user):
    give_totp(user)  # editors and HR must have a second factor to go anywhere
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("role", "scope"),
    [(Role.CADRE, None), (Role.HR_OFFICER, MEIZHOU), (Role.TRAINING_EDITOR, TIANHE)],
)
def test_the_revoke_page_is_not_found_for_those_who_may_not_revoke(cadre, client, role, scope):
    certificate_for(cadre, code="PAGE23456789")
    signed_in(client, user_with_role(role, scope))
    assert client.get("/zh-hans/learning/certificates/PAGE23456789/revoke/").status_code == 404
    response = client.post("/zh-hans/learning/certificates/PAGE23456789/revoke/", {"reason": "x"})
    assert response.status_code == 404
    assert Certificate.objects.get(code="PAGE23456789").is_valid
    assert "/revoke/" not in client.get("/zh-hans/verify/PAGE23456789/").content.decode()


def test_the_revoke_page_needs_a_sign_in(cadre, client):
    certificate_for(cadre, code="LOGIN2345678")
    response = client.get("/en/learning/certificates/LOGIN2345678/revoke/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "/revoke/" not in client.get("/en/verify/LOGIN2345678/").content.decode()


def test_an_editor_revokes_from_the_verify_page_with_a_reason(cadre, client):
    certificate_for(cadre, code="EDITR2345678")
    signed_in(client, user_with_role(Role.TRAINING_EDITOR, MEIZHOU))
    verify = client.get("/en/verify/EDITR2345678/").content.decode()
    revoke_url = "/en/learning/certificates/EDITR2345678/revoke/"
    assert f'href="{revoke_url}"' in verify

    form = client.get(revoke_url)
    assert (
        form.status_code == 200 and "张小三" in form.content.decode()
    )  # the editor sees the full name
    blank = client.post(revoke_url, {"reason": ""})
    assert (
        blank.status_code == 200
        and "Give the reason for revoking the certificate." in blank.content.decode()
    )
    assert Certificate.objects.get(code="EDITR2345678").is_valid

    done = client.post(revoke_url, {"reason": "证书信息有误"}, follow=True)
    assert done.redirect_chain[-1][0] == "/en/verify/EDITR2345678/"
    html = done.content.decode()
    assert 'data-status="revoked"' in html and "证书信息有误" in html
    assert f'href="{revoke_url}"' not in html
    assert "already revoked" in client.get(revoke_url).content.decode()


# --- API and "My learning" ----------------------------------------------------------------------------------


def test_api_verifies_a_certificate_without_signing_in(cadre, client):
    certificate_for(cadre, code="APIOK2345678", title="数据安全基础", hours="2.5")
    response = client.get("/api/v1/certificates/apiok2345678")
    assert response.status_code == 200
    body = response.json()
    assert (
        body["code"] == "APIOK2345678"
        and body["holder"] == "张*三"
        and body["title"] == "数据安全基础"
    )
    assert Decimal(str(body["hours"])) == Decimal("2.5") and body["kind"] == "course"
    assert body["valid"] is True and body["revoked_at"] is None and body["revoked_reason"] == ""
    assert "张小三" not in response.content.decode()

    certs.certificate_revoke(
        certificate=Certificate.objects.get(code="APIOK2345678"),
        by=user_with_role(Role.ADMIN),
        reason="重复发证",
    )
    revoked = client.get("/api/v1/certificates/APIOK2345678").json()
    assert (
        revoked["valid"] is False
        and revoked["revoked_reason"] == "重复发证"
        and revoked["revoked_at"]
    )


def test_api_answers_404_json_for_an_unknown_code(db, client):
    response = client.get("/api/v1/certificates/NOSUCHCODE22")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found" and response.json()["message"]


def test_my_learning_lists_the_certificate_with_its_files(
    cadre, client, django_capture_on_commit_callbacks
):
    course = make_course(lessons=1, questions=0, quiz_question_count=0)
    complete_course(cadre, course, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(user=cadre)
    client.force_login(cadre)
    html = client.get("/zh-hans/learning/").content.decode()
    assert certificate.code in html
    assert f'href="{certificate.png.url}"' in html and f'href="{certificate.pdf.url}"' in html
    assert certificate.png.url.startswith("/media/certificates/")
