"""Ineligible pairs never reach the engine; joint runs place a person at most once."""

from decimal import Decimal

import pytest

from accounts.choices import Role
from jobs.choices import HometownRestriction, MatchRunStatus, RoundStage
from jobs.models import GraduateProfile, MatchResult
from jobs.selectors.matching import explanation_entries
from jobs.services.eligibility import post_eligibility
from jobs.services.matching import MatchRunError, match_run_start
from tests.factories import user_with_role
from tests.jobs.builders import TIANHE, make_graduate, make_post, make_round, villages_of

from .conftest import apply, run_now


def test_ineligible_choices_are_not_matched_and_are_explained(
    round_, posts, villages, hr, django_capture_on_commit_callbacks
):
    teochew_only = make_post(round_, villages[5], dialects=["teochew"])
    strong = apply(round_, [teochew_only, posts[0]], written=95, interview=95)  # speaks hakka
    weak = apply(round_, [teochew_only], written=60, interview=60, dialects=["teochew"])
    run = run_now(django_capture_on_commit_callbacks, rounds=[round_], actor=hr)
    assert run.statistics["ineligible_pairs"] == 1
    strong_result = MatchResult.objects.get(run=run, application=strong)
    assert strong_result.post_id == posts[0].pk and strong_result.matched_rank == 2
    assert explanation_entries(strong_result.explanation)[0]["eligible"] is False
    assert explanation_entries(strong_result.explanation)[0]["score"] is None
    # The weaker applicant who meets the requirement gets the post.
    assert MatchResult.objects.get(run=run, application=weak).post_id == teochew_only.pk


def test_only_scored_applications_take_part(round_, posts, hr, django_capture_on_commit_callbacks):
    from jobs.choices import ApplicationStatus

    scored = apply(round_, [posts[0]], written=70, interview=70)
    eligible_with = apply(
        round_, [posts[1]], written=70, interview=70, status=ApplicationStatus.ELIGIBLE
    )
    eligible_without = apply(
        round_, [posts[2]], written=None, interview=None, status=ApplicationStatus.ELIGIBLE
    )
    submitted = apply(
        round_, [posts[3]], written=99, interview=99, status=ApplicationStatus.SUBMITTED
    )
    run = run_now(django_capture_on_commit_callbacks, rounds=[round_], actor=hr)
    ids = set(MatchResult.objects.filter(run=run).values_list("application_id", flat=True))
    assert ids == {scored.pk, eligible_with.pk}
    assert eligible_without.pk not in ids and submitted.pk not in ids


@pytest.mark.parametrize(
    ("profile_change", "post_fields"),
    [
        ({}, {}),
        ({"education_level": "junior_college"}, {"min_education": "bachelor"}),
        ({"full_time": False}, {"full_time_required": True}),
        ({}, {"max_age_by_level": {"bachelor": 20}}),
        ({}, {"dialects": ["cantonese"]}),
        ({}, {"hometown_restriction": HometownRestriction.SAME_COUNTY}),
        ({}, {"hometown_restriction": HometownRestriction.SAME_CITY}),
    ],
)
def test_run_eligibility_agrees_with_the_eligibility_service(
    round_, villages, hr, profile_change, post_fields, django_capture_on_commit_callbacks
):
    post = make_post(round_, villages[7], **post_fields)
    application = apply(round_, [post], written=70, interview=70)  # hometown in 天河区
    GraduateProfile.objects.filter(user=application.applicant).update(**profile_change)
    profile = GraduateProfile.objects.select_related("hometown", "major").get(
        user=application.applicant
    )
    expected_eligible = not post_eligibility(profile, post, round_)
    run = run_now(django_capture_on_commit_callbacks, rounds=[round_], actor=hr)
    entry = explanation_entries(
        MatchResult.objects.get(run=run, application=application).explanation
    )[0]
    assert entry["eligible"] is expected_eligible


@pytest.fixture
def province_hr(regions):
    return user_with_role(Role.HR_OFFICER, "440000")


@pytest.fixture
def tianhe_round(regions):
    return make_round(TIANHE, stage=RoundStage.MATCHING)


def test_joint_run_places_a_person_once(
    round_, posts, tianhe_round, province_hr, django_capture_on_commit_callbacks
):
    t_post = make_post(tianhe_round, villages_of(TIANHE)[0])
    both = make_graduate(hometown=villages_of(TIANHE)[1])
    first = apply(round_, [posts[0]], written=90, interview=90, user=both)
    second = apply(tianhe_round, [t_post], written=90, interview=90, user=both)
    rival = apply(tianhe_round, [t_post], written=60, interview=60)
    run = run_now(
        django_capture_on_commit_callbacks, rounds=[round_, tianhe_round], actor=province_hr
    )
    assert run.status == MatchRunStatus.SUCCEEDED, run.error
    results = {r.application_id: r for r in MatchResult.objects.filter(run=run)}
    # Earliest application first: the 梅县区 choice is the person's first.
    assert results[first.pk].post_id == posts[0].pk
    assert results[second.pk].post_id is None
    assert results[rival.pk].post_id == t_post.pk
    assert run.statistics["applicants"] == 2
    assert [e["rank"] for e in explanation_entries(results[second.pk].explanation)] == [1, 2]
    assert len(run.statistics["by_county"]) == 2


def test_joint_run_needs_every_round_in_scope(round_, tianhe_round, hr):
    from django.http import Http404

    with pytest.raises(Http404):
        match_run_start(rounds=[round_, tianhe_round], actor=hr)


def test_joint_approval_sets_the_other_application_unmatched_quietly(
    round_, posts, tianhe_round, province_hr, django_capture_on_commit_callbacks
):
    from django.core import mail

    from jobs.choices import ApplicationStatus
    from jobs.services.matching import match_run_approve

    t_post = make_post(tianhe_round, villages_of(TIANHE)[0])
    both = make_graduate()
    first = apply(round_, [posts[0]], written=90, interview=90, user=both)
    second = apply(tianhe_round, [t_post], written=90, interview=90, user=both)
    run = run_now(
        django_capture_on_commit_callbacks, rounds=[round_, tianhe_round], actor=province_hr
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        match_run_approve(run=run, actor=province_hr)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ApplicationStatus.OFFERED
    assert second.status == ApplicationStatus.UNMATCHED
    assert len(mail.outbox) == 1  # the offer; not a "not matched" for the same person
    result = MatchResult.objects.get(run=run, application=first)
    assert explanation_entries(result.explanation)[0]["score"] > 0


def test_preservice_certificate_adds_the_bonus(
    round_, posts, hr, django_capture_on_commit_callbacks
):
    from tests.training.test_certificates import make_path
    from training.models import Certificate

    path = make_path("岗前培训", [])
    round_.preservice_path = path
    round_.save()
    trained = apply(round_, [posts[0]], written=70, interview=70)
    untrained = apply(round_, [posts[1]], written=70, interview=70)
    Certificate.objects.create(
        code="PRESERVICE01",
        user=trained.applicant,
        path=path,
        title="岗前培训",
        holder_name="李*梅",
        hours=Decimal("10"),
    )
    run = run_now(django_capture_on_commit_callbacks, rounds=[round_], actor=hr)
    scores = {
        r.application_id: explanation_entries(r.explanation)[0]["score"]
        for r in MatchResult.objects.filter(run=run)
    }
    assert scores[trained.pk] == Decimal("72.000")
    assert scores[untrained.pk] == Decimal("70.000")


def test_joint_run_refused_for_locked_other_round(round_, posts, tianhe_round, province_hr):
    match_run_start(rounds=[tianhe_round], actor=province_hr)
    with pytest.raises(MatchRunError) as exc:
        match_run_start(rounds=[round_, tianhe_round], actor=province_hr)
    assert exc.value.code == "locked"
