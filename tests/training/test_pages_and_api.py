"""What learners see: the catalogue, a course, a lesson, the quiz pages, "My learning" and the API."""

import datetime
import json

from django.test import Client
from django.utils import timezone

import pytest

from accounts.choices import Role
from accounts.services import api_token_create
from tests.factories import load_small_regions, user_with_role
from tests.training.builders import catalogue, lessons_of, make_course
from training import services
from training.models import Enrollment, LessonProgress, QuizAttempt, QuizQuestion


@pytest.fixture
def cadre(db):
    load_small_regions()
    return user_with_role(Role.CADRE)


@pytest.fixture
def signed_in(client, cadre):
    client.force_login(cadre)
    return client


def test_catalogue_filters_by_category_audience_and_hours_and_searches_chinese(client, db):
    make_course(title="政务数据共享与治理", category="data-governance", hours="4.0")
    make_course(title="个人信息保护实务", category="cybersecurity", hours="1.5", for_graduates=True)
    url = catalogue().url
    page = client.get(url).content.decode()
    assert "政务数据共享与治理" in page and "个人信息保护实务" in page
    only_security = client.get(url, {"category": "cybersecurity"}).content.decode()
    assert "个人信息保护实务" in only_security and "政务数据共享与治理" not in only_security
    graduates = client.get(url, {"audience": "graduate"}).content.decode()
    assert "个人信息保护实务" in graduates and "政务数据共享与治理" not in graduates
    short = client.get(url, {"hours": "short"}).content.decode()
    assert "个人信息保护实务" in short and "政务数据共享与治理" not in short
    found = client.get(url, {"q": "数据共享"}).content.decode()
    assert "政务数据共享与治理" in found and "个人信息保护实务" not in found


def test_catalogue_query_count_does_not_grow_with_courses(
    client, db, django_assert_max_num_queries
):
    make_course(title="课程一")
    url = catalogue().url
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url + "?q=课程")
    for n in range(4):
        make_course(title=f"课程{n + 2}", lessons=0)
    with django_assert_max_num_queries(len(few)):
        client.get(url + "?q=课程")


def test_an_anonymous_visitor_sees_the_course_but_not_the_lesson_content(client, db):
    course = make_course()
    assert (
        "登录" in client.get(course.url).content.decode()
        or client.get(course.url).status_code == 200
    )
    lesson_page = client.get(lessons_of(course)[0].url)
    assert lesson_page.status_code == 200
    assert "lesson-progress" not in lesson_page.content.decode()
    assert "private" not in lesson_page.get("Cache-Control", "")  # the same for every visitor


def test_a_learners_lesson_page_is_never_cached(signed_in, cadre, db):
    course = make_course()
    services.enrollment_create(user=cadre, course=course)
    response = signed_in.get(lessons_of(course)[0].url)
    assert response["Cache-Control"].startswith("private")
    assert "X-Page-Cache" not in response


def test_enrol_then_the_lesson_shows_progress_and_never_the_checkpoint_answers(
    signed_in, cadre, db
):
    course = make_course(lessons=1, checkpoints=1, quiz_question_count=0, questions=0)
    response = signed_in.post(f"/zh-hans/learning/courses/{course.pk}/enrol/")
    lesson = lessons_of(course)[0]
    assert response.status_code == 302 and response["Location"] == lesson.url
    html = signed_in.get(lesson.url).content.decode()
    assert 'id="lesson-progress"' in html
    assert f"/api/v1/lessons/{lesson.pk}/heartbeat" in html
    assert "2021年" in html  # the options are shown…
    assert (
        "*2021年" not in html and "2021年9月1日起施行" not in html
    )  # …but not which is right, nor the explanation


def test_enrolling_twice_by_form_keeps_one_enrolment(signed_in, cadre, db):
    course = make_course()
    signed_in.post(f"/zh-hans/learning/courses/{course.pk}/enrol/")
    signed_in.post(f"/zh-hans/learning/courses/{course.pk}/enrol/")
    assert Enrollment.objects.filter(user=cadre, course=course).count() == 1


def test_quiz_pages_show_questions_without_answers_then_score_and_feedback(signed_in, cadre, db):
    course = make_course(questions=3, quiz_question_count=2)
    services.enrollment_create(user=cadre, course=course)
    response = signed_in.post(f"/zh-hans/learning/courses/{course.pk}/quiz/")
    attempt = QuizAttempt.objects.get(user=cadre)
    assert response["Location"].endswith(f"/learning/quiz-attempts/{attempt.pk}/")
    html = signed_in.get(response["Location"]).content.decode()
    assert "正确选项" in html and "*正确选项" not in html and "✓" not in html
    answers = {f"q{qid}": "0" for qid in attempt.question_ids}
    signed_in.post(response["Location"], answers)
    result = signed_in.get(response["Location"]).content.decode()
    assert "100%" in result and "✓" in result


def test_another_learners_quiz_attempt_is_not_found(signed_in, cadre, db):
    course = make_course()
    other = user_with_role(Role.CADRE)
    services.enrollment_create(user=other, course=course)
    attempt = services.quiz_attempt_start(user=other, course=course)
    assert signed_in.get(f"/zh-hans/learning/quiz-attempts/{attempt.pk}/").status_code == 404


def test_my_learning_page_shows_hours_progress_and_due_assignments(signed_in, cadre, db):
    course = make_course(title="乡村振兴数字化", hours="3.0")
    services.enrollment_create(
        user=cadre,
        course=course,
        source="assigned",
        due_date=timezone.localdate() + datetime.timedelta(days=3),
    )
    html = signed_in.get("/zh-hans/learning/").content.decode()
    assert "乡村振兴数字化" in html
    assert 'id="hours-meter"' in html
    english = signed_in.get("/en/learning/").content.decode()
    assert "Learning hours in" in english and "still due" in english


def test_my_learning_requires_sign_in(client, db):
    response = client.get("/zh-hans/learning/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- API ---------------------------------------------------------------------------------------


@pytest.fixture
def api(cadre):
    _token, raw = api_token_create(user=cadre, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post_json(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_api_courses_list_and_detail_are_public(client, db):
    course = make_course(title="网络安全基础")
    listed = client.get("/api/v1/courses").json()
    assert [c["title"] for c in listed] == ["网络安全基础"]
    detail = client.get(f"/api/v1/courses/{course.pk}").json()
    assert len(detail["lessons"]) == 2 and detail["lessons"][0]["required_seconds"] == 60
    assert client.get("/api/v1/courses/999999").json()["code"] == "not_found"


def test_api_enrolment_is_idempotent(api, cadre, db):
    course = make_course()
    first = post_json(api, f"/api/v1/courses/{course.pk}/enrollment")
    second = post_json(api, f"/api/v1/courses/{course.pk}/enrollment")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert [e["course_id"] for e in api.get("/api/v1/me/enrollments").json()] == [course.pk]


def test_api_heartbeat_credits_time_and_refuses_bad_input(api, cadre, db):
    course = make_course()
    services.enrollment_create(user=cadre, course=course)
    lesson = lessons_of(course)[0]
    services.lesson_open(user=cadre, lesson=lesson)
    ok = post_json(api, f"/api/v1/lessons/{lesson.pk}/heartbeat", {"device": "tab", "seq": 1})
    assert ok.status_code == 200 and ok.json()["credited_seconds"] == 0
    too_fast = post_json(
        api, f"/api/v1/lessons/{lesson.pk}/heartbeat", {"device": "tab", "seq": 2}
    ).json()
    assert too_fast["credited_seconds"] == 0 and too_fast["refused"] == "too_fast"
    bad = post_json(api, f"/api/v1/lessons/{lesson.pk}/heartbeat", {"device": "tab", "seq": -1})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "seq"
    other_lesson = lessons_of(make_course(title="别的课"))[0]
    refused = post_json(
        api, f"/api/v1/lessons/{other_lesson.pk}/heartbeat", {"device": "tab", "seq": 9}
    )
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"


def test_api_heartbeat_needs_authentication(client, db):
    course = make_course()
    response = post_json(
        client, f"/api/v1/lessons/{lessons_of(course)[0].pk}/heartbeat", {"device": "t", "seq": 1}
    )
    assert response.status_code == 401


def test_api_quiz_attempt_hides_answers_then_grades_once(api, cadre, db):
    course = make_course(questions=3, quiz_question_count=3)
    services.enrollment_create(user=cadre, course=course)
    started = post_json(api, f"/api/v1/quizzes/{course.pk}/attempts")
    assert started.status_code == 201
    body = started.json()
    assert all(
        option.startswith("*") is False for q in body["questions"] for option in q["options"]
    )
    assert "correct" not in json.dumps(body["questions"])
    answers = {str(q["id"]): [0] for q in body["questions"]}
    graded = post_json(api, f"/api/v1/quiz-attempts/{body['id']}/submit", {"answers": answers})
    assert graded.status_code == 200 and graded.json()["score"] == 100 and graded.json()["passed"]
    again = post_json(api, f"/api/v1/quiz-attempts/{body['id']}/submit", {"answers": answers})
    assert again.status_code == 422


def test_api_checkpoint_answer(api, cadre, db):
    course = make_course(lessons=1, checkpoints=1, quiz_question_count=0, questions=0)
    services.enrollment_create(user=cadre, course=course)
    lesson = lessons_of(course)[0]
    services.lesson_open(user=cadre, lesson=lesson)
    block_id = next(b.id for b in lesson.body if b.block_type == "checkpoint")
    wrong = post_json(
        api, f"/api/v1/lessons/{lesson.pk}/answers", {"checkpoint": block_id, "chosen": [0]}
    ).json()
    assert wrong["correct"] is False and wrong["correct_options"] == []
    right = post_json(
        api, f"/api/v1/lessons/{lesson.pk}/answers", {"checkpoint": block_id, "chosen": [1]}
    ).json()
    assert right["correct"] is True
    assert block_id in LessonProgress.objects.get(user=cadre, lesson=lesson).checkpoints_passed


def test_api_learning_hours(api, cadre, db):
    ledger = api.get("/api/v1/me/learning-hours").json()
    assert ledger["required_hours"] == "50.0" or float(ledger["required_hours"]) == 50
    assert api.get("/api/v1/me/learning-hours?year=1990").status_code == 422


def test_question_bank_rules_are_checked_for_editors(db):
    course = make_course(questions=0, quiz_question_count=0)
    from django.core.exceptions import ValidationError

    question = QuizQuestion(course=course, kind="single", text="哪个对？", options="甲\n乙")
    with pytest.raises(ValidationError):
        question.full_clean()
    question.options = "*甲\n*乙"
    with pytest.raises(ValidationError):
        question.full_clean()
    question.options = "*甲\n乙"
    question.full_clean()


def test_hr_sees_learning_anomalies_of_their_region_only(client, db):
    load_small_regions()
    from regions.models import Region
    from training.models import LearningAnomaly

    meixian_township = Region.objects.filter(level="township", path__contains="/441403/").first()
    tianhe_township = Region.objects.filter(level="township", path__contains="/440106/").first()
    inside = user_with_role(Role.CADRE, full_name="梅县学员", home_region=meixian_township)
    outside = user_with_role(Role.CADRE, full_name="天河学员", home_region=tianhe_township)
    for learner in (inside, outside):
        LearningAnomaly.objects.create(user=learner, kind="too_fast", detail={})
    hr = user_with_role(Role.HR_OFFICER, "441403")
    from tests.accounts.helpers import give_totp

    give_totp(hr)
    client.force_login(hr)
    html = client.get("/zh-hans/learning/anomalies/").content.decode()
    assert "梅县学员" in html and "天河学员" not in html
    client.force_login(inside)
    assert client.get("/zh-hans/learning/anomalies/").status_code == 404


def test_an_english_reader_sees_the_quiz_in_english_and_is_graded_on_the_same_bank(
    signed_in, cadre, db
):
    from wagtail.models import Locale

    course = make_course(questions=2, quiz_question_count=2)
    Locale.objects.get_or_create(language_code="en")
    english = course.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    for question in QuizQuestion.objects.filter(course=english):
        question.text = f"Question {question.sort_order + 1}: which is right?"
        question.options = "*The right option\nA wrong option"
        question.save()
    services.enrollment_create(user=cadre, course=course)
    attempt = services.quiz_attempt_start(user=cadre, course=course)
    url = f"/en/learning/quiz-attempts/{attempt.pk}/"
    html = signed_in.get(url).content.decode()
    assert "which is right?" in html and "The right option" in html and "正确选项" not in html
    signed_in.post(url, {f"q{qid}": "0" for qid in attempt.question_ids})
    attempt.refresh_from_db()
    assert attempt.passed and attempt.score == 100


def test_my_learning_links_events_in_the_readers_language(signed_in, cadre, db):
    from wagtail.models import Locale

    from regions.models import Region
    from tests.training.builders import make_event
    from training.models import EventRegistration

    event = make_event(region=Region.objects.get(code="441403"), title="数字政府专题培训班")
    english = event.copy_for_translation(
        Locale.objects.get_or_create(language_code="en")[0], copy_parents=True
    )
    english.title = "Digital government training class"
    english.save_revision().publish()
    EventRegistration.objects.create(event=event, user=cadre, status="registered")
    html = signed_in.get("/en/learning/").content.decode()
    assert "Digital government training class" in html and "/en/courses/" in html
    assert "数字政府专题培训班" in signed_in.get("/zh-hans/learning/").content.decode()
