"""Submitting, re-ranking and withdrawing an application: the good path and every bad input."""

import datetime

from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone, translation

import pytest

from accounts.choices import Role
from jobs.choices import ApplicationStatus, HometownRestriction, OfferStatus, RoundStage
from jobs.models import Application, ApplicationEvent, Preference
from jobs.services import applications as services
from jobs.services.applications import (
    application_submit,
    application_update_preferences,
    application_withdraw,
)
from tests.factories import user_with_role
from tests.jobs.builders import MEIXIAN, TIANHE, make_graduate, make_post, make_round, villages_of

from .helpers import offered, submit


def errors_of(exc: ValidationError) -> dict:
    return exc.value.message_dict


def test_submit_saves_ranked_preferences_a_timeline_event_and_an_email(
    graduate, round_, posts, django_capture_on_commit_callbacks
):
    chosen = [posts[3], posts[0], posts[7]]
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(graduate, round_, chosen)
    assert application.status == ApplicationStatus.SUBMITTED
    assert [p.post_id for p in application.preferences.order_by("rank")] == [p.pk for p in chosen]
    assert list(application.preferences.values_list("rank", flat=True).order_by("rank")) == [
        1,
        2,
        3,
    ]
    (event,) = ApplicationEvent.objects.filter(application=application)
    assert (event.from_status, event.to_status, event.actor) == ("", "submitted", graduate)
    (message,) = mail.outbox
    assert message.to == [graduate.email] and round_.name in message.subject
    assert f"/applications/{application.pk}/" in message.body


def test_submit_email_is_in_the_graduates_language(
    graduate, round_, posts, django_capture_on_commit_callbacks
):
    graduate.preferred_language = "en"
    graduate.save()
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        submit(graduate, round_, posts[:1])
    (message,) = mail.outbox
    assert "your application is now “Submitted”" in message.subject
    assert "Your application, its next steps and their dates" in message.body


def test_applying_without_a_profile_is_refused(round_, posts):
    bare = user_with_role(Role.GRADUATE)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        submit(bare, round_, posts[:1])
    assert errors_of(exc) == {"profile": ["Complete your graduate profile before applying."]}
    assert not Application.objects.exists()


def test_more_preferences_than_allowed(graduate, round_, posts):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        submit(graduate, round_, posts[:6])
    assert errors_of(exc) == {
        "preferences": ["This round allows at most 5 ranked posts; you chose 6."]
    }
    assert not Application.objects.exists()


def test_no_preferences_and_garbage_ids(graduate, round_, posts):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        application_submit(user=graduate, round_=round_, post_ids=[])
    assert errors_of(exc) == {"preferences": ["Choose at least one post."]}
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        application_submit(user=graduate, round_=round_, post_ids=["abc"])
    assert errors_of(exc) == {"preferences": ["“abc” is not a post."]}


def test_the_same_post_twice(graduate, round_, posts):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        application_submit(
            user=graduate, round_=round_, post_ids=[posts[0].pk, posts[1].pk, posts[0].pk]
        )
    assert errors_of(exc) == {"preferences": ["Each post may be ranked only once."]}
    assert not Application.objects.exists()


def test_a_post_of_another_round(graduate, round_, posts):
    other_round = make_round(TIANHE)
    foreign = make_post(other_round, villages_of(TIANHE)[0])
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        application_submit(
            user=graduate, round_=round_, post_ids=[posts[0].pk, foreign.pk, 99999999]
        )
    assert errors_of(exc) == {
        "preferences": [
            f"Post {foreign.pk} is not a post of this round.",
            "Post 99999999 is not a post of this round.",
        ]
    }
    assert not Application.objects.exists()


def test_ineligible_posts_are_listed_with_every_rule_and_nothing_is_saved(round_, posts):
    outsider = make_graduate(hometown=villages_of(TIANHE)[0], dialects=[])
    strict = make_post(
        round_,
        villages_of(MEIXIAN)[20],
        hometown_restriction=HometownRestriction.SAME_COUNTY,
        dialects=["hakka"],
    )
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        application_submit(user=outsider, round_=round_, post_ids=[posts[0].pk, strict.pk])
    name = strict.village.name
    assert errors_of(exc) == {
        "preferences": [
            f"{name}: This post requires one of these dialects: Hakka; you have listed none.",
            f"{name}: This post requires a hometown in 梅县区; yours is in 天河区.",
        ]
    }
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"applications_close_at": timezone.now() - datetime.timedelta(minutes=1)},
        {"applications_open_at": timezone.now() + datetime.timedelta(days=1)},
        {"stage": RoundStage.ELIGIBILITY_REVIEW},
    ],
    ids=["closed", "not-yet-open", "later-stage"],
)
def test_applying_outside_the_window(graduate, meixian_villages, fields):
    stage = fields.pop("stage", RoundStage.APPLICATIONS_OPEN)
    round_ = make_round(MEIXIAN, stage=stage, **fields)
    post = make_post(round_, meixian_villages[0])
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        submit(graduate, round_, [post])
    (message,) = errors_of(exc)["round"]
    assert message.startswith("Applications to this round")
    assert not Application.objects.exists()


def test_closing_message_names_the_date(graduate, meixian_villages):
    closed_at = timezone.now() - datetime.timedelta(hours=2)
    round_ = make_round(MEIXIAN, applications_close_at=closed_at)
    post = make_post(round_, meixian_villages[0])
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        submit(graduate, round_, [post])
    local = timezone.localtime(closed_at).strftime("%Y-%m-%d %H:%M")
    assert errors_of(exc) == {"round": [f"Applications to this round closed on {local}."]}


def test_second_submission_is_refused_and_the_first_kept(graduate, round_, posts):
    first = submit(graduate, round_, posts[:2])
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        submit(graduate, round_, posts[4:5])
    assert errors_of(exc)["round"][0].startswith("You have already applied to this round.")
    assert [p.post_id for p in Application.objects.get().preferences.all()] == [
        posts[0].pk,
        posts[1].pk,
    ]
    assert Application.objects.get().pk == first.pk


def test_race_between_two_tabs_hits_the_unique_constraint(graduate, round_, posts, monkeypatch):
    """The second tab passed the "already applied?" check before the first one's insert."""
    submit(graduate, round_, posts[:2])
    real_filter = Application.objects.filter

    class NotYet:
        def exists(self):
            return False

    def blind_filter(*args, **kwargs):
        if kwargs.get("applicant") == graduate:
            return NotYet()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(services.Application.objects, "filter", blind_filter)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        submit(graduate, round_, posts[5:6])
    monkeypatch.undo()
    assert errors_of(exc)["round"][0].startswith("You have already applied")
    application = Application.objects.get()
    assert application.preferences.count() == 2
    assert ApplicationEvent.objects.count() == 1


def test_unique_constraint_backs_the_rule(graduate, round_, posts):
    submit(graduate, round_, posts[:1])
    with pytest.raises(IntegrityError):
        Application.objects.create(round=round_, applicant=graduate)


def test_submit_with_ten_posts_stays_within_fifteen_queries(
    meixian_villages, django_assert_max_num_queries
):
    round_ = make_round(MEIXIAN, max_preferences=10)
    ten = [
        make_post(
            round_,
            village,
            hometown_restriction=HometownRestriction.SAME_COUNTY,
            max_age_by_level={"bachelor": 35},
            dialects=["hakka"],
        )
        for village in meixian_villages[:10]
    ]
    graduate = make_graduate()
    # What a view has in hand: the user and the round with its region.
    round_ = type(round_).objects.select_related("region").get(pk=round_.pk)
    with django_assert_max_num_queries(15):
        application = submit(graduate, round_, ten)
    assert application.preferences.count() == 10


def test_update_preferences_replaces_the_ranking(graduate, round_, posts):
    application = submit(graduate, round_, posts[:3])
    application_update_preferences(
        application=application, user=graduate, post_ids=[posts[5].pk, posts[0].pk]
    )
    assert [p.post_id for p in Preference.objects.filter(application=application)] == [
        posts[5].pk,
        posts[0].pk,
    ]


def test_update_preferences_checks_the_same_rules(graduate, round_, posts):
    application = submit(graduate, round_, posts[:3])
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        application_update_preferences(
            application=application, user=graduate, post_ids=[p.pk for p in posts[:6]]
        )
    assert "at most 5" in errors_of(exc)["preferences"][0]
    assert application.preferences.count() == 3


def test_update_preferences_after_the_window_or_status(graduate, round_, posts):
    application = submit(graduate, round_, posts[:3])
    round_.applications_close_at = timezone.now() - datetime.timedelta(seconds=1)
    round_.save()
    application.round = round_
    with pytest.raises(ValidationError):
        application_update_preferences(
            application=application, user=graduate, post_ids=[posts[0].pk]
        )
    round_.applications_close_at = timezone.now() + datetime.timedelta(days=1)
    round_.save()
    application.status = ApplicationStatus.REJECTED
    application.save()
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        application_update_preferences(
            application=application, user=graduate, post_ids=[posts[0].pk]
        )
    assert "can no longer be changed" in errors_of(exc)["preferences"][0]


def test_only_the_applicant_may_change_or_withdraw(graduate, round_, posts):
    application = submit(graduate, round_, posts[:3])
    other = make_graduate()
    with pytest.raises(PermissionDenied):
        application_update_preferences(application=application, user=other, post_ids=[posts[0].pk])
    with pytest.raises(PermissionDenied):
        application_withdraw(application=application, user=other)


def test_withdraw_before_matching(graduate, round_, posts, django_capture_on_commit_callbacks):
    application = submit(graduate, round_, posts[:2])
    with django_capture_on_commit_callbacks(execute=True):
        application_withdraw(application=application, user=graduate, reason="找到别的工作")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert application.events.last().reason == "找到别的工作"
    assert len(mail.outbox) == 1
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        application_withdraw(application=application, user=graduate)
    assert exc.value.messages == ["You have already withdrawn this application."]


def test_withdraw_after_matching_is_refused(graduate, round_, posts):
    application = submit(graduate, round_, posts[:2])
    round_.stage = RoundStage.MATCHING
    round_.save()
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        application_withdraw(application=application, user=graduate)
    assert "can no longer be withdrawn" in exc.value.messages[0]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_withdraw_with_a_pending_offer_declines_it(graduate, round_, posts):
    offer = offered(graduate, round_, posts[:2])
    round_.stage = RoundStage.OFFERS
    round_.save()
    with translation.override("en"):
        application_withdraw(application=offer.application, user=graduate)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED
    application = Application.objects.get()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert "backfill" in application.events.last().reason
