"""Assignments: an HR officer or editor gives a course or path to every cadre of a region (or to a
list of people) with a due date; the run enrols and e-mails each person once, resumes after a
failure, and is followed by reminders 7 days and 1 day before, and by the overdue list."""

import datetime
import json

from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

import pytest

from accounts.choices import Role
from tests.accounts.helpers import give_totp
from tests.factories import load_small_regions, region, user_with_role
from tests.training.builders import catalogue, make_course
from training.choices import AssignmentStatus, EnrollmentSource, EnrollmentStatus
from training.models import (
    Assignment,
    AssignmentNotice,
    Enrollment,
    LearningPathCourse,
    LearningPathPage,
)
from training.services import assignments
from training.services.assignments import (
    AssignmentFailure,
    assignment_create,
    assignment_run,
    reminders_send,
)

MEIXIAN = "441403"  # 梅县区, 梅州
MEIXIAN_TOWN = "441403001"  # 新城办事处街道
MEIXIAN_TOWN_2 = "441403101"  # 城东镇
TIANHE = "440106"  # 天河区, 广州
TIANHE_TOWN = "440106001"  # 五山街道
ASSIGN = "/zh-hans/learning/assign/"
OVERDUE = "/zh-hans/learning/assign/overdue/"


@pytest.fixture
def regions(db):
    load_small_regions()


def staff(role, code, **kwargs):
    """An HR officer or editor with a second factor (the middleware requires one)."""
    user = user_with_role(role, code, **kwargs)
    give_totp(user)
    return user


@pytest.fixture
def hr_meixian(regions):
    return staff(Role.HR_OFFICER, MEIXIAN, full_name="梅县区人社局")


@pytest.fixture
def hr_tianhe(regions):
    return staff(Role.HR_OFFICER, TIANHE, full_name="天河区人社局")


def cadre(code, **kwargs):
    return user_with_role(Role.CADRE, home_region=region(code), **kwargs)


@pytest.fixture
def people(regions):
    """Four active cadres of 梅县区 in two townships, and people the assignment must not reach."""
    reached = [
        cadre(MEIXIAN_TOWN, full_name="李一", email="li1@example.gd.cn"),
        cadre(MEIXIAN_TOWN, full_name="李二", email="li2@example.gd.cn"),
        cadre(MEIXIAN_TOWN_2, full_name="李三", email="li3@example.gd.cn", preferred_language="en"),
        cadre(
            MEIXIAN, full_name="李四", email="li4@example.gd.cn"
        ),  # registered at the county itself
    ]
    others = [
        cadre(TIANHE_TOWN, full_name="天河干部", email="th@example.gd.cn"),
        user_with_role(Role.GRADUATE, home_region=region(MEIXIAN_TOWN), email="grad@example.gd.cn"),
        cadre(MEIXIAN_TOWN, full_name="离职", email="gone@example.gd.cn", is_active=False),
    ]
    return reached, others


@pytest.fixture
def course(regions):
    return make_course(title="数据安全基础", lessons=1, questions=0, quiz_question_count=0)


def in_days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def mailed(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def make_path(title, courses) -> LearningPathPage:
    path = LearningPathPage(
        title=title, slug=f"path-{LearningPathPage.objects.count() + 1}", summary="岗前培训路径。"
    )
    path.path_courses = [LearningPathCourse(course=c, sort_order=i) for i, c in enumerate(courses)]
    catalogue().add_child(instance=path)
    path.save_revision().publish()
    return path


# --- the page and the run --------------------------------------------------------------------------


def test_hr_officer_assigns_a_course_to_every_cadre_of_the_county(
    client, hr_meixian, people, course, django_capture_on_commit_callbacks
):
    reached, others = people
    client.force_login(hr_meixian)
    page = client.get(ASSIGN)
    assert page.status_code == 200
    assert f'value="course:{course.pk}"' in page.content.decode()

    due = in_days(30)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            ASSIGN,
            {"target": f"course:{course.pk}", "region": MEIXIAN, "due_date": due.isoformat()},
        )
    assignment = Assignment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/zh-hans/learning/assign/{assignment.pk}/"

    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DONE
    assert (assignment.total, assignment.processed, assignment.created_enrollments) == (4, 4, 4)
    enrolled = Enrollment.objects.filter(course=course)
    assert {e.user_id for e in enrolled} == {u.pk for u in reached}
    assert {(e.source, e.due_date, e.assignment_id) for e in enrolled} == {
        (EnrollmentSource.ASSIGNED, due, assignment.pk)
    }
    # Each person e-mailed once, in their own language; nobody else.
    for user in reached:
        assert len(mailed(user.email)) == 1
    assert len(mail.outbox) == 4
    chinese = mailed("li1@example.gd.cn")[0]
    assert "数据安全基础" in chinese.subject
    assert due.isoformat() in chinese.body
    assert "梅县区人社局" in chinese.body
    with translation.override("en"):
        english = mailed("li3@example.gd.cn")[0]
    assert english.subject.endswith(f"Assigned to you: 数据安全基础 (due {due.isoformat()})")

    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert detail.context["progress"]["percent"] == 100
    assert '<progress id="progress-bar" max="100" value="100">' in detail.content.decode()
    progress = client.get(f"/zh-hans/learning/assign/{assignment.pk}/progress.json").json()
    assert progress == {
        "status": "done",
        "status_label": progress["status_label"],
        "total": 4,
        "processed": 4,
        "percent": 100,
        "created_enrollments": 4,
        "error": "",
        "finished": True,
    }


def test_a_run_in_progress_shows_a_self_refreshing_progress_bar(client, hr_meixian, people, course):
    assignment = Assignment.objects.create(
        course=course,
        region=region(MEIXIAN),
        due_date=in_days(9),
        created_by=hr_meixian,
        status=AssignmentStatus.RUNNING,
        total=200,
        processed=50,
    )
    client.force_login(hr_meixian)
    page = client.get(f"/zh-hans/learning/assign/{assignment.pk}/").content.decode()
    assert '<progress id="progress-bar" max="100" value="25">' in page
    assert f"/zh-hans/learning/assign/{assignment.pk}/progress.json" in page  # the polling script
    assert '<meta http-equiv="refresh"' in page  # and the no-JavaScript fallback
    data = client.get(f"/zh-hans/learning/assign/{assignment.pk}/progress.json").json()
    assert (data["status"], data["percent"], data["finished"]) == ("running", 25, False)


@pytest.mark.parametrize("role", [Role.CADRE, Role.GRADUATE])
def test_people_without_an_hr_or_editor_scope_get_404(client, regions, course, role):
    user = user_with_role(role, home_region=region(MEIXIAN_TOWN))
    other = staff(Role.HR_OFFICER, MEIXIAN)
    assignment = Assignment.objects.create(
        course=course, region=region(MEIXIAN), due_date=in_days(9), created_by=other
    )
    client.force_login(user)
    for url in (
        ASSIGN,
        OVERDUE,
        "/zh-hans/learning/assign/import/",
        f"/zh-hans/learning/assign/{assignment.pk}/",
        f"/zh-hans/learning/assign/{assignment.pk}/progress.json",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        ASSIGN, {"target": f"course:{course.pk}", "region": MEIXIAN, "due_date": in_days(9)}
    )
    assert response.status_code == 404
    assert Assignment.objects.count() == 1
    with pytest.raises(PermissionDenied):
        assignment_create(by=user, course=course, region=region(MEIXIAN_TOWN), due_date=in_days(9))


def test_hr_of_tianhe_cannot_assign_to_meixian(client, hr_tianhe, people, course):
    client.force_login(hr_tianhe)
    with translation.override("en"):
        response = client.post(
            "/en/learning/assign/",
            {"target": f"course:{course.pk}", "region": MEIXIAN, "due_date": in_days(9)},
        )
    assert response.status_code == 200
    assert response.context["form"].errors["region"] == ["This region is outside your scope."]
    with pytest.raises(ValidationError) as exc:
        assignment_create(by=hr_tianhe, course=course, region=region(MEIXIAN), due_date=in_days(9))
    assert "region" in exc.value.message_dict
    assert not Assignment.objects.exists()
    assert not Enrollment.objects.exists()


def test_another_county_cannot_see_an_assignment(client, hr_meixian, hr_tianhe, course):
    assignment = Assignment.objects.create(
        course=course, region=region(MEIXIAN), due_date=in_days(9), created_by=hr_meixian
    )
    client.force_login(hr_tianhe)
    assert client.get(f"/zh-hans/learning/assign/{assignment.pk}/").status_code == 404
    assert client.get(f"/zh-hans/learning/assign/{assignment.pk}/progress.json").status_code == 404
    assert client.post(f"/zh-hans/learning/assign/{assignment.pk}/rerun/").status_code == 404
    # The city's editor, whose scope holds the county, can.
    editor = staff(Role.TRAINING_EDITOR, "441400")
    client.force_login(editor)
    assert client.get(f"/zh-hans/learning/assign/{assignment.pk}/").status_code == 200


def test_a_list_of_people_must_all_be_in_scope_and_is_named(client, hr_meixian, people, course):
    reached, others = people
    tianhe_cadre = others[0]
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        assignment_create(
            by=hr_meixian,
            course=course,
            user_ids=[reached[0].pk, tianhe_cadre.pk],
            due_date=in_days(9),
        )
    assert exc.value.message_dict["people"] == [
        "These people are outside your scope: 天河干部 <th@example.gd.cn>"
    ]

    client.force_login(hr_meixian)
    with translation.override("en"):
        response = client.post(
            "/en/learning/assign/",
            {
                "target": f"course:{course.pk}",
                "emails": "li1@example.gd.cn\nTH@example.gd.cn",
                "due_date": in_days(9),
            },
        )
    assert response.status_code == 200
    assert "天河干部 &lt;th@example.gd.cn&gt;" in str(response.context["form"].errors["emails"])
    with translation.override("en"):
        response = client.post(
            "/en/learning/assign/",
            {
                "target": f"course:{course.pk}",
                "emails": "li1@example.gd.cn, nobody@example.gd.cn",
                "due_date": in_days(9),
            },
        )
    assert response.context["form"].errors["emails"] == [
        "No account has these addresses: nobody@example.gd.cn"
    ]
    assert not Assignment.objects.exists()


def test_a_list_of_people_enrols_exactly_them(
    hr_meixian, people, course, django_capture_on_commit_callbacks
):
    reached, _others = people
    listed = [reached[0], reached[2]]
    with django_capture_on_commit_callbacks(execute=True):
        assignment = assignment_create(
            by=hr_meixian, course=course, user_ids=[u.pk for u in listed], due_date=in_days(9)
        )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DONE
    assert set(Enrollment.objects.values_list("user_id", flat=True)) == {u.pk for u in listed}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in listed)


@pytest.mark.parametrize("days", [0, -1])
def test_the_due_date_must_be_in_the_future(hr_meixian, course, days):
    with pytest.raises(ValidationError) as exc:
        assignment_create(
            by=hr_meixian, course=course, region=region(MEIXIAN), due_date=in_days(days)
        )
    assert "due_date" in exc.value.message_dict


def test_region_and_list_are_exclusive_and_one_is_needed(hr_meixian, people, course):
    reached, _ = people
    for kwargs in ({}, {"region": region(MEIXIAN), "user_ids": [reached[0].pk]}):
        with pytest.raises(ValidationError):
            assignment_create(by=hr_meixian, course=course, due_date=in_days(9), **kwargs)
    with pytest.raises(ValidationError):
        assignment_create(
            by=hr_meixian,
            course=course,
            path=make_path("路径", [course]),
            region=region(MEIXIAN),
            due_date=in_days(9),
        )


def test_rerun_doubles_nothing_and_mails_nobody_twice(
    hr_meixian, people, course, django_capture_on_commit_callbacks
):
    reached, _ = people
    # One cadre had enrolled on their own: the enrolment keeps its source but gets the due date.
    own, _created = Enrollment.objects.get_or_create(user=reached[0], course=course)
    due = in_days(20)
    with django_capture_on_commit_callbacks(execute=True):
        assignment = assignment_create(
            by=hr_meixian, course=course, region=region(MEIXIAN), due_date=due
        )
    own.refresh_from_db()
    assert (own.source, own.due_date) == (EnrollmentSource.SELF, due)
    assert Enrollment.objects.count() == 4
    assert len(mail.outbox) == 4
    assignment.refresh_from_db()
    first = (assignment.total, assignment.processed, assignment.created_enrollments)
    assert first == (4, 4, 3)

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            result = assignment_run(assignment_id=assignment.pk, batch_size=3)
        assert (result.enrolled, result.notified) == (0, 0)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DONE
    assert (assignment.total, assignment.processed, assignment.created_enrollments) == first
    assert Enrollment.objects.count() == 4
    assert AssignmentNotice.objects.count() == 4
    assert len(mail.outbox) == 4


def test_a_cadre_who_joins_later_is_added_by_a_rerun_from_the_page(
    client, hr_meixian, people, course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assignment = assignment_create(
            by=hr_meixian, course=course, region=region(MEIXIAN), due_date=in_days(20)
        )
    newcomer = cadre(MEIXIAN_TOWN_2, email="new@example.gd.cn")
    client.force_login(hr_meixian)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/zh-hans/learning/assign/{assignment.pk}/rerun/")
    assert response.status_code == 302
    assert Enrollment.objects.filter(user=newcomer, course=course).exists()
    assert Enrollment.objects.count() == 5
    assert len(mailed("new@example.gd.cn")) == 1
    assert len(mail.outbox) == 5


def test_a_run_stopped_after_the_first_batch_fails_visibly_and_resumes(
    client, hr_meixian, people, course, django_capture_on_commit_callbacks
):
    reached, _ = people
    assignment = Assignment.objects.create(
        course=course, region=region(MEIXIAN), due_date=in_days(9), created_by=hr_meixian
    )
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(AssignmentFailure):
        assignment_run(assignment_id=assignment.pk, batch_size=2, fail_after_batches=1)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.FAILED
    assert "AssignmentFailure" in assignment.error
    assert (assignment.total, assignment.processed) == (4, 2)
    assert Enrollment.objects.count() == 2  # the first batch was committed
    assert len(mail.outbox) == 2

    client.force_login(hr_meixian)
    page = client.get(f"/zh-hans/learning/assign/{assignment.pk}/")
    assert page.context["progress"]["finished"] and page.context["can_rerun"]
    assert assignment.error in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        result = assignment_run(assignment_id=assignment.pk, batch_size=2)
    assert (result.batches, result.enrolled, result.notified) == (2, 2, 2)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DONE
    assert assignment.error == ""
    assert (assignment.processed, assignment.created_enrollments) == (4, 4)
    assert set(Enrollment.objects.values_list("user_id", flat=True)) == {u.pk for u in reached}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in reached)


def test_mails_leave_in_chunks_from_separate_tasks(
    monkeypatch, hr_meixian, people, course, django_capture_on_commit_callbacks
):
    chunks = []
    original = assignments._enqueue_notices
    monkeypatch.setattr(assignments, "MAIL_CHUNK", 3)
    monkeypatch.setattr(
        assignments, "_enqueue_notices", lambda a, ids: (chunks.append(ids), original(a, ids))
    )
    with django_capture_on_commit_callbacks(execute=True):
        assignment_create(by=hr_meixian, course=course, region=region(MEIXIAN), due_date=in_days(9))
    assert [len(c) for c in chunks] == [3, 1]
    assert len(mail.outbox) == 4


def test_a_path_assignment_enrols_every_course_of_the_path(
    hr_meixian, people, django_capture_on_commit_callbacks
):
    reached, _ = people
    courses = [
        make_course(title=f"课程{n}", lessons=1, questions=0, quiz_question_count=0)
        for n in range(3)
    ]
    path = make_path("公共服务站专职操作员岗前培训", courses)
    with django_capture_on_commit_callbacks(execute=True):
        assignment = assignment_create(
            by=hr_meixian, path=path, region=region(MEIXIAN), due_date=in_days(30)
        )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DONE
    assert assignment.created_enrollments == 12
    pairs = set(Enrollment.objects.values_list("user_id", "course_id"))
    assert pairs == {(u.pk, c.pk) for u in reached for c in courses}
    assert len(mail.outbox) == 4  # one e-mail per person, not per course
    assert "公共服务站专职操作员岗前培训" in mailed("li1@example.gd.cn")[0].subject


# --- reminders ---------------------------------------------------------------------------------------


def test_reminders_go_7_days_and_1_day_before_each_exactly_once(
    regions, course, django_capture_on_commit_callbacks
):
    def send(day):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_send(today=day)

    today = datetime.date(2026, 3, 2)
    week = cadre(MEIXIAN_TOWN, email="week@example.gd.cn")
    day = cadre(MEIXIAN_TOWN, email="day@example.gd.cn", preferred_language="en")
    done = cadre(MEIXIAN_TOWN, email="done@example.gd.cn")
    later = cadre(MEIXIAN_TOWN, email="later@example.gd.cn")
    Enrollment.objects.create(user=week, course=course, due_date=today + datetime.timedelta(days=7))
    Enrollment.objects.create(user=day, course=course, due_date=today + datetime.timedelta(days=1))
    Enrollment.objects.create(
        user=done,
        course=course,
        due_date=today + datetime.timedelta(days=7),
        status=EnrollmentStatus.COMPLETED,
    )
    Enrollment.objects.create(
        user=later, course=course, due_date=today + datetime.timedelta(days=8)
    )

    assert send(today) == {7: 1, 1: 1}
    assert [m.to for m in mail.outbox] == [["week@example.gd.cn"], ["day@example.gd.cn"]]
    assert "数据安全基础" in mail.outbox[0].subject
    assert mail.outbox[1].subject.endswith("Due tomorrow: 数据安全基础")
    assert "2026-03-03" in mail.outbox[1].body

    # The same day again (a retried task, a second beat): nothing more.
    assert send(today) == {7: 0, 1: 0}
    assert len(mail.outbox) == 2
    assert Enrollment.objects.get(user=week).reminded_7d_at is not None
    assert Enrollment.objects.get(user=day).reminded_1d_at is not None

    # Six days later the first one is due tomorrow: its 1-day reminder goes, once.
    later_day = today + datetime.timedelta(days=6)
    assert send(later_day) == {7: 0, 1: 1}
    assert send(later_day) == {7: 0, 1: 0}
    assert [m.to for m in mail.outbox[2:]] == [["week@example.gd.cn"]]
    # "later" was due in 8 days on the first day: its 7-day reminder came on the second day.
    assert send(today + datetime.timedelta(days=1)) == {7: 1, 1: 0}
    assert mail.outbox[-1].to == ["later@example.gd.cn"]


def test_the_daily_reminder_task_is_on_the_beat_schedule(settings, db):
    from django_celery_beat.models import PeriodicTask
    from django_celery_beat.schedulers import ModelEntry

    import training.tasks
    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["training-due-reminders"]
    assert app.tasks[entry["task"]].name == training.tasks.send_due_reminders.name
    assert entry["schedule"].hour == {8} and entry["schedule"].minute == {0}
    # What django_celery_beat's DatabaseScheduler does with each entry at start-up: a row in
    # its tables (editable in the admin), at 08:00 Shanghai time.
    ModelEntry.from_entry("training-due-reminders", app=app, **entry)
    task = PeriodicTask.objects.get(name="training-due-reminders")
    assert task.task == "training.tasks.send_due_reminders"
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == (
        "8",
        "0",
        "Asia/Shanghai",
    )


def test_the_reminder_task_takes_an_iso_date(regions, course, django_capture_on_commit_callbacks):
    from training.tasks import send_due_reminders

    user = cadre(MEIXIAN_TOWN)
    Enrollment.objects.create(user=user, course=course, due_date=datetime.date(2026, 5, 8))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders.delay("2026-05-01").get() == {"7": 1, "1": 0}
    assert mailed(user.email)


# --- overdue ---------------------------------------------------------------------------------------------


def overdue_for(user, course, *, days_late=3, **fields):
    return Enrollment.objects.create(
        user=user,
        course=course,
        source=EnrollmentSource.ASSIGNED,
        due_date=in_days(-days_late),
        **fields,
    )


def test_the_overdue_page_shows_the_hr_office_only_its_own_region(
    client, hr_meixian, hr_tianhe, people, course
):
    reached, others = people
    tianhe_cadre = others[0]
    for user in reached[:3]:
        overdue_for(user, course)
    overdue_for(reached[3], course, status=EnrollmentStatus.COMPLETED)  # done late: not overdue
    overdue_for(tianhe_cadre, course)
    Enrollment.objects.create(
        user=others[1],
        course=make_course(title="另一课程", lessons=1, questions=0, quiz_question_count=0),
        due_date=in_days(2),
    )

    client.force_login(hr_meixian)
    response = client.get(OVERDUE)
    assert response.status_code == 200
    listed = {e.user_id for e in response.context["page_obj"].object_list}
    assert listed == {u.pk for u in reached[:3]}
    counts = {row.region.code: row.count for row in response.context["counts"] if row.region}
    assert counts[MEIXIAN_TOWN] == 2
    assert counts[MEIXIAN_TOWN_2] == 1
    assert sum(counts.values()) == 3
    assert "th@example.gd.cn" not in response.content.decode()

    # Down one level; and another county's township is "not found".
    town = client.get(OVERDUE, {"region": MEIXIAN_TOWN})
    assert {e.user_id for e in town.context["page_obj"].object_list} == {
        reached[0].pk,
        reached[1].pk,
    }
    assert client.get(OVERDUE, {"region": TIANHE_TOWN}).status_code == 404

    client.force_login(hr_tianhe)
    response = client.get(OVERDUE)
    assert [e.user_id for e in response.context["page_obj"].object_list] == [tianhe_cadre.pk]


def test_the_overdue_page_is_paginated_in_bounded_queries(
    client, hr_meixian, regions, course, django_assert_max_num_queries
):
    client.force_login(hr_meixian)

    def load():
        with django_assert_max_num_queries(20):
            return client.get(OVERDUE)

    overdue_for(cadre(MEIXIAN_TOWN), course)
    small = load()
    assert small.context["total"] == 1
    for n in range(60):
        overdue_for(cadre(MEIXIAN_TOWN_2 if n % 2 else MEIXIAN_TOWN), course)
    big = load()
    assert big.context["total"] == 61
    assert len(big.context["page_obj"].object_list) == 50
    assert big.context["page_obj"].paginator.num_pages == 2
    second = client.get(OVERDUE, {"page": 2})
    assert len(second.context["page_obj"].object_list) == 11


def test_an_administrator_sees_the_whole_province(client, people, course):
    reached, others = people
    overdue_for(reached[0], course)
    overdue_for(others[0], course)
    admin = staff(Role.ADMIN, None)
    client.force_login(admin)
    response = client.get(OVERDUE)
    assert response.context["total"] == 2
    counts = {row.region.code: row.count for row in response.context["counts"] if row.region}
    assert counts["441400"] == 1 and counts["440100"] == 1


def test_the_navigation_offers_assignment_to_hr_but_not_to_cadres(client, hr_meixian, regions):
    client.force_login(hr_meixian)
    assert 'href="/zh-hans/learning/assign/"' in client.get("/zh-hans/learning/").content.decode()
    client.force_login(cadre(MEIXIAN_TOWN))
    assert (
        'href="/zh-hans/learning/assign/"' not in client.get("/zh-hans/learning/").content.decode()
    )


def test_progress_json_is_valid_json_for_a_pending_run(client, hr_meixian, course):
    assignment = Assignment.objects.create(
        course=course, region=region(MEIXIAN), due_date=in_days(9), created_by=hr_meixian
    )
    client.force_login(hr_meixian)
    response = client.get(f"/zh-hans/learning/assign/{assignment.pk}/progress.json")
    assert response["Cache-Control"].startswith("max-age=0")
    data = json.loads(response.content)
    assert (data["status"], data["percent"], data["finished"]) == ("pending", 0, False)
