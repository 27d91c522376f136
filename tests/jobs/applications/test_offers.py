"""Offers (created by matching, answered by the graduate) and placements."""

import datetime

from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

import pytest

from accounts.choices import Role
from jobs.choices import ApplicationStatus, OfferStatus, PlacementStatus
from jobs.models import Application, Offer, Placement
from jobs.selectors.applications import covered_village_ids, village_is_covered
from jobs.services.offers import offer_accept, offer_create, offer_decline, offers_expire_due
from jobs.services.placements import add_months, placement_transition
from jobs.tasks import expire_offers
from tests.factories import user_with_role
from tests.jobs.builders import TIANHE, make_graduate, make_post, make_round, villages_of
from tests.training.builders import make_course
from training.choices import EnrollmentSource
from training.models import Enrollment

from .helpers import offered, submit


def test_offer_create_moves_the_application_to_offered(graduate, round_, posts):
    offer = offered(graduate, round_, posts[:2], deadline_in_days=5)
    assert offer.status == OfferStatus.PENDING
    application = Application.objects.get()
    assert application.status == ApplicationStatus.OFFERED
    assert posts[0].village.name in application.events.last().reason


def test_offer_create_default_deadline_and_refusals(graduate, round_, posts):
    application = submit(graduate, round_, posts[:2])
    before = timezone.now()
    offer = offer_create(application=application, post=posts[1])
    expected = before + datetime.timedelta(days=round_.offer_reply_days)
    assert abs((offer.reply_deadline - expected).total_seconds()) < 5
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        offer_create(application=application, post=posts[0])
    assert exc.value.message_dict == {
        "application": ["This application already holds an open offer."]
    }
    other = make_post(make_round(TIANHE), villages_of(TIANHE)[0])
    with pytest.raises(ValidationError):
        offer_create(application=application, post=other)


def test_accepting_creates_a_placement_operator_role_courses_and_covers_the_village(
    graduate, round_, posts, django_capture_on_commit_callbacks
):
    course = make_course(title="村级公共服务站业务实务")
    draft = make_course(title="未发布课程")
    draft.unpublish()
    round_.onboarding_on = datetime.date(2026, 9, 1)
    round_.save()
    round_.in_service_courses.set([course, draft])
    offer = offered(graduate, round_, posts[:2])
    assert not village_is_covered(posts[0].village)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        placement = offer_accept(offer=offer, user=graduate)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED and offer.responded_at
    assert (placement.village, placement.user, placement.status) == (
        posts[0].village,
        graduate,
        PlacementStatus.PUBLIC_NOTICE,
    )
    assert placement.start_date == datetime.date(2026, 9, 1)
    assert placement.term_end == datetime.date(2028, 9, 1)  # 24 months
    assert Application.objects.get().status == ApplicationStatus.ACCEPTED
    graduate.refresh_from_db()
    assert graduate.has_role(Role.OPERATOR)
    (enrollment,) = Enrollment.objects.filter(user=graduate)
    assert (enrollment.course_id, enrollment.source) == (course.pk, EnrollmentSource.ASSIGNED)
    assert village_is_covered(posts[0].village)
    assert list(covered_village_ids()) == [posts[0].village_id]
    assert [m.to for m in mail.outbox] == [[graduate.email]]


def test_accepting_twice_makes_one_placement(graduate, round_, posts):
    offer = offered(graduate, round_, posts[:2])
    offer_accept(offer=offer, user=graduate)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        offer_accept(offer=offer, user=graduate)
    assert exc.value.messages == ["You have already accepted this offer."]
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        offer_decline(offer=offer, user=graduate)
    assert exc.value.messages == ["You have already accepted this offer."]
    assert Placement.objects.count() == 1


def test_answering_after_the_deadline_expires_the_offer(graduate, round_, posts):
    offer = offered(graduate, round_, posts[:2], deadline_in_days=-0.01)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        offer_accept(offer=offer, user=graduate)
    local = timezone.localtime(offer.reply_deadline).strftime("%Y-%m-%d %H:%M")
    assert exc.value.messages == [f"This offer expired on {local}."]
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED
    assert Application.objects.get().status == ApplicationStatus.EXPIRED
    assert not Placement.objects.exists()


def test_only_the_applicant_may_answer(graduate, round_, posts):
    offer = offered(graduate, round_, posts[:2])
    with pytest.raises(PermissionDenied):
        offer_accept(offer=offer, user=make_graduate())
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING


def test_declining_reopens_the_post(graduate, round_, posts):
    offer = offered(graduate, round_, posts[:2])
    with translation.override("en"):
        offer_decline(offer=offer, user=graduate)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED
    application = Application.objects.get()
    assert application.status == ApplicationStatus.DECLINED
    # The graduate reads Chinese (their preferred language), whatever the request's language.
    assert "递补" in application.events.last().reason
    assert not village_is_covered(posts[0].village)


def test_expiry_task_expires_only_overdue_offers(round_, posts):
    late = offered(make_graduate(), round_, posts[:1], deadline_in_days=-1)
    on_time = offered(make_graduate(), round_, posts[1:2], deadline_in_days=1)
    assert expire_offers.delay().get() == 1
    assert offers_expire_due() == 0
    late.refresh_from_db(), on_time.refresh_from_db()
    assert (late.status, on_time.status) == (OfferStatus.EXPIRED, OfferStatus.PENDING)
    assert late.application.__class__.objects.get(pk=late.application_id).status == (
        ApplicationStatus.EXPIRED
    )


def test_expiry_is_scheduled():
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "jobs.tasks.expire_offers" in tasks


def test_placement_moves_on_and_the_application_follows(graduate, round_, posts, hr_meixian):
    offer = offered(graduate, round_, posts[:2])
    placement = offer_accept(offer=offer, user=graduate)
    placement_transition(
        placement=placement, to_status=PlacementStatus.PUBLIC_NOTICE, actor=hr_meixian
    )
    assert Application.objects.get().status == ApplicationStatus.PUBLIC_NOTICE
    for status in (PlacementStatus.ONBOARDED, PlacementStatus.IN_SERVICE):
        placement = placement_transition(placement=placement, to_status=status, actor=hr_meixian)
        assert Application.objects.get().status == status
    assert village_is_covered(posts[0].village)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        placement_transition(
            placement=placement, to_status=PlacementStatus.ONBOARDED, actor=hr_meixian
        )
    assert exc.value.message_dict["status"] == [
        "A placement that is “In service” cannot become “Onboarded”."
    ]
    placement = placement_transition(
        placement=placement, to_status=PlacementStatus.LEFT, actor=hr_meixian, reason="考上公务员"
    )
    assert (placement.status, placement.end_reason) == (PlacementStatus.LEFT, "考上公务员")
    assert placement.ended_at == timezone.localdate()
    assert Application.objects.get().status == ApplicationStatus.LEFT
    assert not village_is_covered(posts[0].village)


def test_placement_transition_outside_scope_is_a_404(graduate, round_, posts):
    from django.http import Http404

    offer = offered(graduate, round_, posts[:2])
    placement = offer_accept(offer=offer, user=graduate)
    tianhe_hr = user_with_role(Role.HR_OFFICER, TIANHE)
    with pytest.raises(Http404):
        placement_transition(
            placement=placement, to_status=PlacementStatus.ONBOARDED, actor=tianhe_hr
        )


def test_offer_emails_are_in_the_graduates_language(
    graduate, round_, posts, django_capture_on_commit_callbacks
):
    graduate.preferred_language = "en"
    graduate.save()
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        offer = offered(graduate, round_, posts[:2])
    message = mail.outbox[-1]
    assert "your application is now “Offered”" in message.subject
    assert "Next step: Reply to the offer by: " in message.body
    assert timezone.localtime(offer.reply_deadline).strftime("%Y-%m-%d") in message.body


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (datetime.date(2026, 9, 1), 24, datetime.date(2028, 9, 1)),
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 11, 30), 3, datetime.date(2027, 2, 28)),
    ],
)
def test_add_months(start, months, end):
    assert add_months(start, months) == end


def test_offer_rows_unchanged_after_refused_answers(graduate, round_, posts):
    offer = offered(graduate, round_, posts[:2])
    offer_decline(offer=offer, user=graduate)
    with pytest.raises(ValidationError):
        offer_accept(offer=offer, user=graduate)
    assert Offer.objects.get().status == OfferStatus.DECLINED
    assert not Placement.objects.exists()


def fresh(user):
    return type(user).objects.get(pk=user.pk)  # roles are cached on an instance


def test_an_operator_whose_placement_ends_is_no_longer_an_operator(
    graduate, round_, posts, hr_meixian
):
    placement = offer_accept(offer=offered(graduate, round_, posts[:2]), user=graduate)
    assert graduate.has_role(Role.OPERATOR)
    placement_transition(placement=placement, to_status=PlacementStatus.LEFT, actor=hr_meixian)
    assert not fresh(graduate).has_role(Role.OPERATOR)
    assert fresh(graduate).has_role(Role.GRADUATE)  # the account and its history stay


def test_an_operator_still_serving_elsewhere_keeps_the_role(graduate, round_, posts, hr_meixian):
    first = offer_accept(offer=offered(graduate, round_, posts[:2]), user=graduate)
    other_round = make_round(TIANHE)
    other = offer_accept(
        offer=offered(graduate, other_round, [make_post(other_round, villages_of(TIANHE)[0])]),
        user=graduate,
    )
    placement_transition(placement=first, to_status=PlacementStatus.LEFT, actor=hr_meixian)
    assert fresh(graduate).has_role(Role.OPERATOR)
    placement_transition(
        placement=other,
        to_status=PlacementStatus.LEFT,
        actor=user_with_role(Role.HR_OFFICER, TIANHE),
    )
    assert not fresh(graduate).has_role(Role.OPERATOR)


def test_timeline_reasons_are_written_in_the_applicants_language(graduate, round_, posts):
    graduate.preferred_language = "en"
    graduate.save(update_fields=["preferred_language"])
    with translation.override("zh-hans"):  # the officer (or the scheduler) works in Chinese
        offer = offered(graduate, round_, posts[:2])
        offer_decline(offer=offer, user=graduate)
    reasons = [e.reason for e in Application.objects.get().events.order_by("pk") if e.reason]
    assert reasons[-2].startswith("Offered: ") and "reply by" in reasons[-2]
    assert reasons[-1].startswith("Declined: ") and "backfill" in reasons[-1]

    chinese = make_graduate()
    with translation.override("en"):
        offer_accept(offer=offered(chinese, round_, posts[1:2]), user=chinese)
    last = Application.objects.get(applicant=chinese).events.order_by("pk").last()
    assert last.reason.startswith("已接受：") and "服务期" in last.reason
