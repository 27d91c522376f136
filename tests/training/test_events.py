"""Training events: places and the waiting list, cancelling and promotion, attendance by roster and by
the organiser's rotating code, the calendar file, the pages and the API."""

import datetime
import re
from decimal import Decimal

from django.core import mail
from django.core.cache import cache
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.models import Locale

import pytest

from accounts.choices import Role
from accounts.services import api_token_create
from regions.services import regions_import
from tests.accounts.helpers import give_totp
from tests.factories import UserFactory, region, small_regions_csv, user_with_role
from tests.training.builders import make_event
from training.choices import HoursSource
from training.models import EventRegistration, HoursEntry, TrainingEventPage
from training.selectors import hours_ledger
from training.selectors_events import waitlist_position
from training.services import LearningError
from training.services.events import (
    CODE_MAX_FAILURES,
    attendance_by_code,
    attendance_code,
    attendance_record,
    event_cancel,
    event_register,
)
from training.views_events import _ics_fold

MEIXIAN = "441403"  # 梅县区, where the events take place
MEIZHOU = "441400"  # 梅州市, the city above it
TIANHE = "440106"  # 天河区, another county
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Wrong-code counters live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def regions(db):
    """Just the province, 梅州市 with 梅县区 and 广州市 with 天河区, from the real file."""
    wanted = {"440000", "441400", MEIXIAN, "440100", TIANHE}
    header, *rows = small_regions_csv().decode().splitlines()
    kept = [header, *(row for row in rows if row.split(",", 1)[0] in wanted)]
    regions_import(source="\n".join(kept).encode())


@pytest.fixture
def event(regions) -> TrainingEventPage:
    """Two places, registration open now, starts in a week."""
    return make_event(region=region(MEIXIAN), capacity=2, hours="3.0")


@pytest.fixture
def started_event(regions) -> TrainingEventPage:
    """Began an hour ago, ends in five hours: check-in is open."""
    return make_event(
        region=region(MEIXIAN), capacity=3, hours="4.5", starts_in=-datetime.timedelta(hours=1)
    )


@pytest.fixture
def hr_meixian(regions):
    user = user_with_role(Role.HR_OFFICER, MEIXIAN, full_name="梅县区人社局")
    give_totp(user)
    return user


@pytest.fixture
def hr_tianhe(regions):
    user = user_with_role(Role.HR_OFFICER, TIANHE, full_name="天河区人社局")
    give_totp(user)
    return user


@pytest.fixture
def cadre(regions):
    return user_with_role(Role.CADRE, full_name="李干部")


def register_in_window(event, user, *, offset=MINUTE):
    """Register as if during the registration window (works for events that have started)."""
    return event_register(user=user, event=event, now=event.registration_opens + offset)


def attendee_of(event):
    user = UserFactory(full_name="王小明")
    assert register_in_window(event, user).status == "registered"
    return user


def other_code(event, now) -> str:
    """A six-digit code that is neither the current nor the previous one."""
    valid = {
        attendance_code(event=event, now=now).code,
        attendance_code(event=event, now=now - datetime.timedelta(seconds=30)).code,
    }
    return next(c for c in (f"{n:06d}" for n in range(1000)) if c not in valid)


def status_on_page(html: str) -> str | None:
    found = re.search(r'data-status="(\w+)"', html)
    return found.group(1) if found else None


# --- places and the waiting list ------------------------------------------------------------------


def test_places_go_first_come_first_served_then_the_waiting_list_keeps_order(event):
    people = [UserFactory() for _ in range(5)]
    start = event.registration_opens + MINUTE
    regs = [
        event_register(user=p, event=event, now=start + i * MINUTE) for i, p in enumerate(people)
    ]

    assert [r.status for r in regs] == [
        "registered",
        "registered",
        "waitlisted",
        "waitlisted",
        "waitlisted",
    ]
    assert [waitlist_position(r) for r in regs] == [None, None, 1, 2, 3]


def test_registering_twice_returns_the_same_registration(event):
    user = UserFactory()
    first = event_register(user=user, event=event)
    second = event_register(user=user, event=event)

    assert first.created is True
    assert second.created is False
    assert second.pk == first.pk
    assert EventRegistration.objects.filter(event=event, user=user).count() == 1


def test_cancelling_frees_the_place_for_the_first_person_waiting_and_emails_them(
    event, django_capture_on_commit_callbacks
):
    holder, other_holder = UserFactory(), UserFactory()
    first_waiting = UserFactory(full_name="Chen Wei", preferred_language="en")
    second_waiting = UserFactory()
    start = event.registration_opens + MINUTE
    for i, user in enumerate([holder, other_holder, first_waiting, second_waiting]):
        event_register(user=user, event=event, now=start + i * MINUTE)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = event_cancel(user=holder, event=event)

    assert cancelled.status == "cancelled"
    promoted = EventRegistration.objects.get(event=event, user=first_waiting)
    assert promoted.status == "registered"
    still_waiting = EventRegistration.objects.get(event=event, user=second_waiting)
    assert waitlist_position(still_waiting) == 1
    assert [m.to for m in mail.outbox] == [[first_waiting.email]]
    message = mail.outbox[0]
    assert "A place is yours" in message.subject  # in the person's own language
    assert event.title in message.subject
    assert f"/en/learning/events/{event.pk}/calendar.ics" in message.body
    assert event.get_full_url() in message.body  # no English translation: the Chinese page


def test_leaving_the_waiting_list_promotes_nobody_and_sends_nothing(
    event, django_capture_on_commit_callbacks
):
    people = [UserFactory() for _ in range(4)]
    for i, user in enumerate(people):
        register_in_window(event, user, offset=(i + 1) * MINUTE)

    with django_capture_on_commit_callbacks(execute=True):
        event_cancel(user=people[2], event=event)

    statuses = dict(EventRegistration.objects.filter(event=event).values_list("user_id", "status"))
    assert [statuses[p.pk] for p in people] == [
        "registered",
        "registered",
        "cancelled",
        "waitlisted",
    ]
    assert waitlist_position(EventRegistration.objects.get(event=event, user=people[3])) == 1
    assert mail.outbox == []


def test_a_cancelled_registration_can_register_again_but_queues_behind_those_waiting(event):
    a, b, c = UserFactory(), UserFactory(), UserFactory()
    for i, user in enumerate([a, b, c]):
        register_in_window(event, user, offset=(i + 1) * MINUTE)
    event_cancel(user=a, event=event)  # c takes a's place

    again = register_in_window(event, a, offset=10 * MINUTE)

    assert again.created is True
    assert again.status == "waitlisted"
    assert waitlist_position(again) == 1
    assert EventRegistration.objects.get(event=event, user=c).status == "registered"
    assert EventRegistration.objects.filter(event=event, user=a).count() == 1


def test_cancelling_is_idempotent_and_unknown_registrations_are_missing(event):
    user = UserFactory()
    event_register(user=user, event=event)
    event_cancel(user=user, event=event)
    assert event_cancel(user=user, event=event).status == "cancelled"
    with pytest.raises(EventRegistration.DoesNotExist):
        event_cancel(user=UserFactory(), event=event)


def test_raising_the_capacity_lets_waiting_people_in_before_a_newcomer(event):
    people = [UserFactory() for _ in range(3)]
    for i, user in enumerate(people):
        register_in_window(event, user, offset=(i + 1) * MINUTE)
    TrainingEventPage.objects.filter(pk=event.pk).update(capacity=3)
    event.refresh_from_db()

    newcomer = register_in_window(event, UserFactory(), offset=10 * MINUTE)

    assert EventRegistration.objects.get(event=event, user=people[2]).status == "registered"
    assert newcomer.status == "waitlisted"


def test_registration_is_refused_outside_its_window(event):
    user = UserFactory()
    with translation.override("en"), pytest.raises(LearningError, match="Registration opens on"):
        event_register(user=user, event=event, now=event.registration_opens - MINUTE)
    with translation.override("en"), pytest.raises(LearningError, match="closed on"):
        event_register(user=user, event=event, now=event.registration_closes + MINUTE)
    assert not EventRegistration.objects.filter(event=event).exists()


def test_registration_is_refused_when_the_event_is_not_published(event):
    event.unpublish()
    with (
        translation.override("en"),
        pytest.raises(LearningError, match="not open for registration"),
    ):
        event_register(user=UserFactory(), event=TrainingEventPage.objects.get(pk=event.pk))


def test_a_registration_cannot_be_cancelled_once_the_event_has_started(started_event):
    user = attendee_of(started_event)
    with translation.override("en"), pytest.raises(LearningError, match="has started"):
        event_cancel(user=user, event=started_event)
    assert EventRegistration.objects.get(event=started_event, user=user).status == "registered"


def test_registering_on_a_translation_records_the_place_on_the_chinese_event(event):
    en, _created = Locale.objects.get_or_create(language_code="en")
    english = event.copy_for_translation(en, copy_parents=True)
    english.title = "Digital government training class"
    english.save_revision().publish()
    user = UserFactory()

    registration = event_register(user=user, event=TrainingEventPage.objects.get(pk=english.pk))

    assert registration.event_id == event.pk


# --- attendance on the roster ------------------------------------------------------------------------


def test_the_roster_credits_the_events_hours_exactly_once(started_event, hr_meixian):
    user = attendee_of(started_event)

    first = attendance_record(organiser=hr_meixian, event=started_event, user=user)
    second = attendance_record(organiser=hr_meixian, event=started_event, user=user)

    assert first.status == second.status == "attended"
    entries = HoursEntry.objects.filter(user=user, event=started_event)
    assert entries.count() == 1
    assert entries.get().hours == Decimal("4.5")
    assert entries.get().source == HoursSource.EVENT
    assert hours_ledger(user=user)["event_hours"] == Decimal("4.5")


@pytest.mark.parametrize(
    ("role", "scope"),
    [(Role.TRAINING_EDITOR, MEIZHOU), (Role.HR_OFFICER, MEIZHOU), (Role.ADMIN, None)],
)
def test_editors_and_hr_officers_over_the_venue_and_administrators_may_take_attendance(
    started_event, role, scope
):
    organiser = user_with_role(role, scope)
    user = attendee_of(started_event)
    assert (
        attendance_record(organiser=organiser, event=started_event, user=user).status == "attended"
    )


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.CADRE, None),
        (Role.GRADUATE, None),
        (Role.HR_OFFICER, TIANHE),
        (Role.TRAINING_EDITOR, TIANHE),
    ],
)
def test_anyone_else_is_told_the_event_does_not_exist(started_event, role, scope):
    outsider = user_with_role(role, scope)
    user = attendee_of(started_event)
    with pytest.raises(Http404):
        attendance_record(organiser=outsider, event=started_event, user=user)
    assert not HoursEntry.objects.filter(user=user).exists()


def test_the_roster_refuses_people_without_a_place_and_events_not_yet_begun(
    event, started_event, hr_meixian
):
    waiting = UserFactory()
    for user in [UserFactory(), UserFactory(), UserFactory()]:
        register_in_window(started_event, user)
    register_in_window(started_event, waiting, offset=2 * MINUTE)
    with translation.override("en"), pytest.raises(LearningError, match="does not hold a place"):
        attendance_record(organiser=hr_meixian, event=started_event, user=waiting)

    early = attendee_of(event)
    with translation.override("en"), pytest.raises(LearningError, match="30 minutes before"):
        attendance_record(organiser=hr_meixian, event=event, user=early)
    assert not HoursEntry.objects.exists()


# --- attendance with the rotating code -------------------------------------------------------------


def test_the_code_on_screen_is_accepted_during_its_window_and_the_next(started_event):
    user = attendee_of(started_event)
    shown_at = started_event.starts_at + 10 * MINUTE
    code = attendance_code(event=started_event, now=shown_at)

    assert re.fullmatch(r"\d{6}", code.code)
    assert 1 <= code.seconds_left <= 30
    typed_at = shown_at + datetime.timedelta(seconds=30)  # the code has just changed on screen
    registration = attendance_by_code(user=user, event=started_event, code=code.code, now=typed_at)

    assert registration.status == "attended"
    assert HoursEntry.objects.filter(user=user, event=started_event).count() == 1


def test_the_code_changes_every_thirty_seconds(started_event):
    t = started_event.starts_at
    codes = {
        attendance_code(event=started_event, now=t + datetime.timedelta(seconds=30 * i)).code
        for i in range(10)
    }
    assert len(codes) >= 9  # ten windows; two equal six-digit codes are a one-in-100,000 chance


def test_a_code_from_two_windows_ago_is_refused(started_event):
    user = attendee_of(started_event)
    shown_at = started_event.starts_at + 10 * MINUTE
    old = attendance_code(event=started_event, now=shown_at).code

    with translation.override("en"), pytest.raises(LearningError, match="wrong or has expired"):
        attendance_by_code(
            user=user, event=started_event, code=old, now=shown_at + datetime.timedelta(seconds=60)
        )
    assert EventRegistration.objects.get(event=started_event, user=user).status == "registered"
    assert not HoursEntry.objects.exists()


def test_a_wrong_code_is_refused_with_a_clear_message(started_event):
    user = attendee_of(started_event)
    now = started_event.starts_at + 10 * MINUTE

    with translation.override("en"), pytest.raises(LearningError) as refused:
        attendance_by_code(
            user=user, event=started_event, code=other_code(started_event, now), now=now
        )
    assert "wrong or has expired" in refused.value.message_dict["code"][0]
    with translation.override("en"), pytest.raises(LearningError, match="six digits"):
        attendance_by_code(user=user, event=started_event, code="12ab", now=now)


def test_each_events_code_is_its_own(started_event, regions):
    other = make_event(region=region(MEIXIAN), starts_in=-datetime.timedelta(hours=1))
    user = attendee_of(started_event)
    now = started_event.starts_at + 10 * MINUTE
    code = attendance_code(event=other, now=now).code
    if (
        code == attendance_code(event=started_event, now=now).code
    ):  # pragma: no cover (1 in a million)
        now += datetime.timedelta(seconds=90)
        code = attendance_code(event=other, now=now).code
    with pytest.raises(LearningError):
        attendance_by_code(user=user, event=started_event, code=code, now=now)


def test_check_in_by_code_only_during_the_event(started_event):
    user = attendee_of(started_event)
    for now in (
        started_event.starts_at - 31 * MINUTE,
        started_event.ends_at + 31 * MINUTE,
    ):
        code = attendance_code(event=started_event, now=now).code
        with (
            translation.override("en"),
            pytest.raises(LearningError, match="Check-in opens 30 minutes"),
        ):
            attendance_by_code(user=user, event=started_event, code=code, now=now)
    early = started_event.starts_at - 29 * MINUTE
    code = attendance_code(event=started_event, now=early).code
    assert (
        attendance_by_code(user=user, event=started_event, code=code, now=early).status
        == "attended"
    )


def test_only_people_holding_a_place_can_check_in(started_event):
    for user in [UserFactory(), UserFactory(), UserFactory()]:
        register_in_window(started_event, user)
    waiting = UserFactory()
    register_in_window(started_event, waiting, offset=2 * MINUTE)
    now = started_event.starts_at + MINUTE
    code = attendance_code(event=started_event, now=now).code
    for user in (waiting, UserFactory()):
        with translation.override("en"), pytest.raises(LearningError, match="do not hold a place"):
            attendance_by_code(user=user, event=started_event, code=code, now=now)


def test_guessing_codes_is_stopped_after_a_few_wrong_ones(started_event):
    user = attendee_of(started_event)
    now = started_event.starts_at + 10 * MINUTE
    wrong = other_code(started_event, now)
    for _ in range(CODE_MAX_FAILURES):
        with pytest.raises(LearningError):
            attendance_by_code(user=user, event=started_event, code=wrong, now=now)

    right = attendance_code(event=started_event, now=now).code
    with translation.override("en"), pytest.raises(LearningError, match="Too many wrong codes"):
        attendance_by_code(user=user, event=started_event, code=right, now=now)
    assert EventRegistration.objects.get(event=started_event, user=user).status == "registered"


# --- the calendar file --------------------------------------------------------------------------------


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_the_calendar_file_is_rfc_5545(client, regions):
    long_title = (
        "广东省基层干部数字政府能力提升专题培训班（第三期）：政务数据共享、一网通办与基层治理实务"
    )
    event = make_event(
        region=region(MEIXIAN),
        title=long_title,
        venue_address="梅县区新城办事处, 行政服务中心; 三楼",
    )
    user = UserFactory()
    event_register(user=user, event=event)
    client.force_login(user)

    response = client.get(f"/zh-hans/learning/events/{event.pk}/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="event-{event.pk}.ics"'
    raw = response.content
    assert raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")  # every line ends in CRLF
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded at 75 octets
    lines = unfold(raw.decode("utf-8"))
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    assert any(line.startswith("PRODID:") for line in lines)
    assert lines.count("BEGIN:VEVENT") == 1
    props = dict(line.split(":", 1) for line in lines if ":" in line)
    registration = EventRegistration.objects.get(event=event, user=user)
    assert props["UID"] == f"event-{event.pk}-registration-{registration.pk}@testserver"
    assert re.fullmatch(r"\d{8}T\d{6}Z", props["DTSTAMP"])
    assert props["DTSTART"] == event.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert props["DTEND"] == event.ends_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert props["SUMMARY"] == long_title
    assert props["LOCATION"] == "梅县区 梅县区新城办事处\\, 行政服务中心\\; 三楼"
    assert "http://testserver/zh-hans/" in props["DESCRIPTION"]
    assert props["STATUS"] == "CONFIRMED"


def test_folding_never_splits_a_character():
    line = "SUMMARY:" + "数" * 60
    folded = _ics_fold(line)
    pieces = folded.encode().split(b"\r\n")
    assert len(pieces) > 1
    assert all(len(p) <= 75 for p in pieces)
    assert all(p.startswith(b" ") for p in pieces[1:])
    assert folded.replace("\r\n ", "") == line


def test_the_calendar_file_is_only_for_ones_own_registration(client, event):
    client.force_login(UserFactory())
    assert client.get(f"/zh-hans/learning/events/{event.pk}/calendar.ics").status_code == 404
    client.logout()
    response = client.get(f"/zh-hans/learning/events/{event.pk}/calendar.ics")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- the event page -----------------------------------------------------------------------------------


def test_registering_from_the_event_page(client, event):
    user = UserFactory()
    client.force_login(user)
    page = client.get(event.url)
    assert page.status_code == 200
    assert reverse("training:event_register", args=[event.pk]) in page.content.decode()

    response = client.post(f"/zh-hans/learning/events/{event.pk}/register/")

    assert response.status_code == 302
    assert response["Location"] == event.url
    assert EventRegistration.objects.get(event=event, user=user).status == "registered"
    html = client.get(event.url).content.decode()
    assert status_on_page(html) == "registered"
    assert f"/learning/events/{event.pk}/calendar.ics" in html
    assert reverse("training:event_cancel", args=[event.pk]) in html


def test_the_page_shows_a_waiting_persons_place_in_the_queue(client, event):
    for user in [UserFactory(), UserFactory(), UserFactory()]:
        register_in_window(event, user)
    fourth = UserFactory()
    register_in_window(event, fourth, offset=2 * MINUTE)
    client.force_login(fourth)

    with translation.override("en"):
        html = client.get(f"/en{event.url.removeprefix('/zh-hans')}").content.decode()

    assert status_on_page(html) == "waitlisted"
    assert "You are number 2 on the waiting list" in html


def test_cancelling_from_the_event_page(client, event):
    user = UserFactory()
    event_register(user=user, event=event)
    client.force_login(user)

    response = client.post(f"/zh-hans/learning/events/{event.pk}/cancel/")

    assert response.status_code == 302
    assert EventRegistration.objects.get(event=event, user=user).status == "cancelled"
    assert status_on_page(client.get(event.url).content.decode()) is None


def test_the_register_button_needs_the_csrf_token(event):
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(f"/zh-hans/learning/events/{event.pk}/register/").status_code == 403
    assert client.get(f"/zh-hans/learning/events/{event.pk}/register/").status_code == 405
    assert not EventRegistration.objects.exists()


def test_checking_in_from_a_phone_during_the_event(client, started_event):
    user = attendee_of(started_event)
    client.force_login(user)
    html = client.get(started_event.url).content.decode()
    assert 'name="code"' in html and 'inputmode="numeric"' in html

    code = attendance_code(event=started_event).code
    response = client.post(f"/zh-hans/learning/events/{started_event.pk}/check-in/", {"code": code})

    assert response.status_code == 302
    assert EventRegistration.objects.get(event=started_event, user=user).status == "attended"
    html = client.get(started_event.url).content.decode()
    assert status_on_page(html) == "attended"
    assert 'name="code"' not in html


def test_a_wrong_code_on_the_page_shows_the_reason(client, started_event):
    user = attendee_of(started_event)
    client.force_login(user)
    wrong = other_code(started_event, timezone.now())
    with translation.override("en"):
        response = client.post(
            f"/en/learning/events/{started_event.pk}/check-in/", {"code": wrong}, follow=True
        )
    assert "wrong or has expired" in response.content.decode()
    assert EventRegistration.objects.get(event=started_event, user=user).status == "registered"


def test_the_check_in_form_is_not_offered_before_the_event(client, event):
    client.force_login(attendee_of(event))
    assert 'name="code"' not in client.get(event.url).content.decode()


def test_organisers_see_links_to_the_roster_and_code_screen_and_others_do_not(
    client, started_event, hr_meixian, cadre
):
    roster = reverse("training:event_roster", args=[started_event.pk])
    client.force_login(hr_meixian)
    assert roster in client.get(started_event.url).content.decode()
    client.force_login(cadre)
    assert roster not in client.get(started_event.url).content.decode()


# --- the organiser's pages ----------------------------------------------------------------------------


def test_the_roster_lists_people_with_a_place_and_marks_them_present(
    client, started_event, hr_meixian
):
    present, absent = attendee_of(started_event), UserFactory(full_name="赵缺席")
    register_in_window(started_event, absent)
    client.force_login(hr_meixian)
    url = f"/zh-hans/learning/events/{started_event.pk}/roster/"

    html = client.get(url).content.decode()
    assert "王小明" in html and "赵缺席" in html

    registration = EventRegistration.objects.get(event=started_event, user=present)
    mark = f"/zh-hans/learning/events/{started_event.pk}/roster/{registration.pk}/attended/"
    assert mark in html
    response = client.post(mark)
    client.post(mark)  # a double tap

    assert response.status_code == 302
    assert response["Location"].endswith(f"#person-{registration.pk}")
    assert HoursEntry.objects.filter(user=present, event=started_event).count() == 1
    assert not HoursEntry.objects.filter(user=absent).exists()
    html = client.get(url).content.decode()
    assert html.count('data-status="attended"') == 1


def test_a_cadre_cannot_open_the_roster_or_the_code(client, started_event, cadre):
    client.force_login(cadre)
    registration = EventRegistration.objects.get(
        event=started_event, user=attendee_of(started_event)
    )
    base = f"/zh-hans/learning/events/{started_event.pk}"
    assert client.get(f"{base}/roster/").status_code == 404
    assert client.get(f"{base}/code/").status_code == 404
    assert client.get(f"{base}/code.json").status_code == 404
    assert client.post(f"{base}/roster/{registration.pk}/attended/").status_code == 404
    assert not HoursEntry.objects.exists()


def test_an_hr_officer_of_another_county_cannot_open_the_roster(client, started_event, hr_tianhe):
    client.force_login(hr_tianhe)
    registration = EventRegistration.objects.get(
        event=started_event, user=attendee_of(started_event)
    )
    base = f"/zh-hans/learning/events/{started_event.pk}"
    assert client.get(f"{base}/roster/").status_code == 404
    assert client.get(f"{base}/code/").status_code == 404
    assert client.post(f"{base}/roster/{registration.pk}/attended/").status_code == 404
    assert not HoursEntry.objects.exists()


def test_the_code_screen_shows_the_current_code_and_refreshes_itself(
    client, started_event, hr_meixian
):
    client.force_login(hr_meixian)
    base = f"/zh-hans/learning/events/{started_event.pk}"

    html = client.get(f"{base}/code/").content.decode()
    data = client.get(f"{base}/code.json").json()

    now = timezone.now()
    valid = {
        attendance_code(event=started_event, now=now - datetime.timedelta(seconds=s)).code
        for s in (0, 30)
    }
    assert data["code"] in valid
    assert 1 <= data["seconds_left"] <= 30
    assert data["attended"] == 0
    shown = re.search(r'id="attendance-code"[^>]*>(\d{6})<', html).group(1)
    assert shown in valid
    assert f"{base}/code.json" in html  # the script that keeps it current
    response = client.get(f"{base}/code.json")
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


# --- the API --------------------------------------------------------------------------------------------


@pytest.fixture
def api():
    def client_for(user):
        _token, plaintext = api_token_create(user=user, name="phone")
        return Client(headers={"Authorization": f"Bearer {plaintext}"})

    return client_for


def test_api_lists_upcoming_live_events_with_places(client, event, regions):
    past = make_event(
        region=region(MEIXIAN),
        title="已结束的论坛",
        starts_in=-datetime.timedelta(days=3),
        registration_opens=timezone.now() - datetime.timedelta(days=10),
    )
    draft = make_event(region=region(MEIXIAN), title="未发布的活动")
    draft.unpublish()
    register_in_window(event, UserFactory())

    data = client.get("/api/v1/events").json()

    ids = [e["id"] for e in data]
    assert event.pk in ids
    assert past.pk not in ids and draft.pk not in ids
    item = next(e for e in data if e["id"] == event.pk)
    assert item["places_left"] == 1
    assert item["capacity"] == 2
    assert item["venue_region_code"] == MEIXIAN
    assert item["registration_open"] is True
    assert client.get(f"/api/v1/events/{event.pk}").json()["places_left"] == 1
    assert client.get("/api/v1/events/999999").status_code == 404


def test_api_registration_is_idempotent_and_cancellable(api, event):
    user = UserFactory()
    client = api(user)
    url = f"/api/v1/events/{event.pk}/registration"

    first = client.post(url)
    second = client.post(url)

    assert first.status_code == 201
    assert second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["status"] == "registered"
    assert first.json()["calendar_url"].endswith(f"/learning/events/{event.pk}/calendar.ics")

    cancelled = client.delete(url)
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert client.delete(url).status_code == 200
    assert api(UserFactory()).delete(url).status_code == 404


def test_api_reports_the_waiting_list_and_my_registrations(api, event):
    for user in [UserFactory(), UserFactory()]:
        register_in_window(event, user)
    user = UserFactory()
    client = api(user)

    created = client.post(f"/api/v1/events/{event.pk}/registration").json()
    mine = client.get("/api/v1/me/registrations").json()

    assert created["status"] == "waitlisted"
    assert created["waitlist_position"] == 1
    assert [(r["event_id"], r["status"], r["waitlist_position"]) for r in mine] == [
        (event.pk, "waitlisted", 1)
    ]


def test_api_refuses_registration_outside_the_window_as_json(api, started_event):
    response = api(UserFactory()).post(f"/api/v1/events/{started_event.pk}/registration")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["errors"][0]["message"]


def test_api_needs_a_signed_in_caller(client, event):
    assert client.post(f"/api/v1/events/{event.pk}/registration").status_code == 401
    assert client.get("/api/v1/me/registrations").status_code == 401


def test_api_check_in_with_the_code(api, started_event):
    user = attendee_of(started_event)
    client = api(user)
    url = f"/api/v1/events/{started_event.pk}/attendance"

    wrong = client.post(
        url, {"code": other_code(started_event, timezone.now())}, content_type="application/json"
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "code"

    right = client.post(
        url, {"code": attendance_code(event=started_event).code}, content_type="application/json"
    )
    assert right.status_code == 200
    assert right.json()["status"] == "attended"
    assert right.json()["attended_at"]
    assert HoursEntry.objects.filter(user=user, event=started_event).count() == 1


def test_the_api_schema_documents_the_event_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/events",
        "/api/v1/events/{event_id}",
        "/api/v1/events/{event_id}/registration",
        "/api/v1/me/registrations",
        "/api/v1/events/{event_id}/attendance",
    } <= set(paths)
    assert {"post", "delete"} <= set(paths["/api/v1/events/{event_id}/registration"])


def test_the_event_list_costs_the_same_few_queries_however_many_events(
    client, regions, django_assert_max_num_queries
):
    for n in range(2):
        register_in_window(make_event(region=region(MEIXIAN), title=f"活动{n}"), UserFactory())
    client.get("/api/v1/events")  # warm the site-root cache
    with django_assert_max_num_queries(4):
        assert len(client.get("/api/v1/events").json()) == 2
    for n in range(2, 8):
        register_in_window(make_event(region=region(MEIXIAN), title=f"活动{n}"), UserFactory())
    with django_assert_max_num_queries(4):
        assert len(client.get("/api/v1/events").json()) == 8
