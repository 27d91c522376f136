"""Rounds: creating and changing them with clear errors, and moving them only forward."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

import pytest

from jobs.choices import MatchRunKind, RoundStage
from jobs.models import MatchRun, RecruitmentRound, RoundTransition
from jobs.services.rounds import (
    round_advance,
    round_advance_due,
    round_create,
    round_update,
)
from jobs.tasks import advance_due_rounds
from tests.factories import region
from tests.jobs.builders import MEIXIAN, TIANHE, make_round

TZ = timezone.get_default_timezone()


def at(y, m, d, h=9):
    return datetime.datetime(y, m, d, h, 0, tzinfo=TZ)


def good_data(**overrides):
    data = {
        "name": "梅县区2027年村级公共服务站专职操作员招聘",
        "year": 2027,
        "announce_on": datetime.date(2027, 3, 1),
        "applications_open_at": at(2027, 3, 5),
        "applications_close_at": at(2027, 3, 20, 18),
        "eligibility_review_until": datetime.date(2027, 3, 27),
        "scores_until": datetime.date(2027, 4, 15),
        "matching_on": datetime.date(2027, 4, 20),
        "onboarding_on": datetime.date(2027, 6, 1),
        "max_preferences": 5,
        "weight_written": Decimal("60"),
        "weight_interview": Decimal("40"),
    }
    data.update(overrides)
    return data


def messages_of(exc: ValidationError) -> dict:
    return exc.value.message_dict


# --- create and update ---------------------------------------------------------------------------------


def test_an_officer_creates_a_draft_round_of_their_county(hr_meixian):
    round = round_create(actor=hr_meixian, region=region(MEIXIAN), data=good_data())

    assert round.stage == RoundStage.DRAFT
    assert round.created_by == hr_meixian
    assert (round.weight_written, round.weight_interview) == (Decimal("60"), Decimal("40"))
    assert RecruitmentRound.objects.get(pk=round.pk).region.code == MEIXIAN


def test_a_city_may_own_a_round_but_not_a_township(hr_meixian, admin_user):
    round_create(actor=admin_user, region=region("441400"), data=good_data())
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        round_create(actor=hr_meixian, region=region("441403001"), data=good_data())
    assert "county or a city" in messages_of(exc)["region"][0]


def test_an_officer_cannot_create_a_round_for_another_county(hr_meixian):
    with pytest.raises(PermissionDenied):
        round_create(actor=hr_meixian, region=region(TIANHE), data=good_data())
    assert not RecruitmentRound.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        (
            {"weight_written": Decimal("60"), "weight_interview": Decimal("50")},
            "weight_written",
            "add up to 100; they add up to 110",
        ),
        ({"max_preferences": 0}, "max_preferences", "between 1 and 20"),
        ({"max_preferences": 21}, "max_preferences", "between 1 and 20"),
        (
            {"applications_close_at": at(2027, 3, 4)},
            "applications_close_at",
            "must close after they open",
        ),
        ({"announce_on": datetime.date(2027, 3, 10)}, "applications_open_at", "cannot come before"),
        ({"matching_on": datetime.date(2027, 4, 1)}, "matching_on", "cannot come before"),
        ({"onboarding_on": datetime.date(2027, 4, 19)}, "onboarding_on", "cannot come before"),
        ({"name": "  "}, "name", "Give the round a name"),
        ({"bonus_home_village": Decimal("-1")}, "bonus_home_village", "between 0 and 100"),
    ],
)
def test_bad_rounds_are_refused_with_a_message_on_the_field(hr_meixian, overrides, field, text):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        round_create(actor=hr_meixian, region=region(MEIXIAN), data=good_data(**overrides))
    assert any(text in m for m in messages_of(exc)[field]), messages_of(exc)
    assert not RecruitmentRound.objects.exists()


def test_errors_are_in_the_officers_language(hr_meixian):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        round_create(actor=hr_meixian, region=region(MEIXIAN), data=good_data(max_preferences=30))
    message = messages_of(exc)["max_preferences"][0]
    # The Chinese translation is the lead's; the message exists and names the bounds.
    assert "20" in message


def test_update_changes_settings_but_never_stage_or_owner(hr_meixian, draft_round):
    round_update(
        round=draft_round,
        actor=hr_meixian,
        data={
            "name": "新名称",
            "stage": RoundStage.CLOSED,
            "region": region(TIANHE),
            "max_preferences": 8,
        },
    )
    draft_round.refresh_from_db()
    assert (draft_round.name, draft_round.max_preferences) == ("新名称", 8)
    assert draft_round.stage == RoundStage.DRAFT
    assert draft_round.region.code == MEIXIAN


def test_update_validates_and_keeps_the_stored_round(hr_meixian, draft_round):
    with pytest.raises(ValidationError):
        round_update(round=draft_round, actor=hr_meixian, data={"weight_written": Decimal("70")})
    assert RecruitmentRound.objects.get(pk=draft_round.pk).weight_written == Decimal("50")


def test_another_county_cannot_update(hr_tianhe, draft_round):
    with pytest.raises(PermissionDenied):
        round_update(round=draft_round, actor=hr_tianhe, data={"name": "x"})


def test_a_closed_round_cannot_be_changed(hr_meixian, regions):
    round = make_round(MEIXIAN, stage=RoundStage.CLOSED)
    with translation.override("en"), pytest.raises(ValidationError, match="closed"):
        round_update(round=round, actor=hr_meixian, data={"name": "x"})


# --- advancing --------------------------------------------------------------------------------------


def test_advance_moves_one_stage_and_records_who_and_when(hr_meixian, draft_round):
    before = timezone.now()
    transition = round_advance(round=draft_round, actor=hr_meixian)

    draft_round.refresh_from_db()
    assert draft_round.stage == RoundStage.ANNOUNCED
    assert (transition.from_stage, transition.to_stage, transition.actor) == (
        RoundStage.DRAFT,
        RoundStage.ANNOUNCED,
        hr_meixian,
    )
    assert transition.at >= before
    round_advance(round=draft_round, actor=hr_meixian, to_stage=RoundStage.APPLICATIONS_OPEN)
    assert list(
        RoundTransition.objects.filter(round=draft_round).values_list("to_stage", flat=True)
    ) == [RoundStage.ANNOUNCED, RoundStage.APPLICATIONS_OPEN]


def test_advance_refuses_to_go_back_or_skip(hr_meixian, open_round):
    with translation.override("en"):
        with pytest.raises(ValidationError, match="never goes back"):
            round_advance(round=open_round, actor=hr_meixian, to_stage=RoundStage.ANNOUNCED)
        with pytest.raises(ValidationError, match="never goes back"):
            round_advance(round=open_round, actor=hr_meixian, to_stage=RoundStage.APPLICATIONS_OPEN)
        with pytest.raises(ValidationError, match="one stage at a time"):
            round_advance(round=open_round, actor=hr_meixian, to_stage=RoundStage.MATCHING)
        with pytest.raises(ValidationError, match="no such stage"):
            round_advance(round=open_round, actor=hr_meixian, to_stage="paused")
    open_round.refresh_from_db()
    assert open_round.stage == RoundStage.APPLICATIONS_OPEN
    assert not RoundTransition.objects.exists()


def test_a_second_click_with_the_seen_stage_does_not_move_twice(hr_meixian, open_round):
    stale = RecruitmentRound.objects.get(pk=open_round.pk)
    round_advance(round=open_round, actor=hr_meixian, to_stage=RoundStage.ELIGIBILITY_REVIEW)
    with pytest.raises(ValidationError):
        round_advance(round=stale, actor=hr_meixian, to_stage=RoundStage.ELIGIBILITY_REVIEW)
    assert RoundTransition.objects.count() == 1
    assert RecruitmentRound.objects.get(pk=open_round.pk).stage == RoundStage.ELIGIBILITY_REVIEW


def test_advance_is_refused_while_a_match_run_holds_the_round(hr_meixian, regions):
    round = make_round(MEIXIAN, stage=RoundStage.MATCHING)
    run = MatchRun.objects.create(kind=MatchRunKind.MATCH)
    RecruitmentRound.objects.filter(pk=round.pk).update(locked_by_run=run)
    round.refresh_from_db()
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="matching run is in progress"),
    ):
        round_advance(round=round, actor=hr_meixian)
    assert RecruitmentRound.objects.get(pk=round.pk).stage == RoundStage.MATCHING


def test_a_closed_round_has_no_next_stage(hr_meixian, regions):
    round = make_round(MEIXIAN, stage=RoundStage.CLOSED)
    with pytest.raises(ValidationError):
        round_advance(round=round, actor=hr_meixian)


def test_another_county_cannot_advance(hr_tianhe, open_round):
    with pytest.raises(PermissionDenied):
        round_advance(round=open_round, actor=hr_tianhe)
    assert RecruitmentRound.objects.get(pk=open_round.pk).stage == RoundStage.APPLICATIONS_OPEN


# --- on their dates ----------------------------------------------------------------------------------


def test_rounds_move_on_their_dates_one_recorded_step_at_a_time(hr_meixian):
    round = round_create(actor=hr_meixian, region=region(MEIXIAN), data=good_data())

    assert round_advance_due(now=at(2027, 2, 28)) == []
    steps = round_advance_due(now=at(2027, 3, 1, 0))
    assert [s.to_stage for s in steps] == [RoundStage.ANNOUNCED]
    # Past the opening and the closing time at once: two steps, each recorded, actor None.
    steps = round_advance_due(now=at(2027, 3, 21))
    assert [(s.from_stage, s.to_stage) for s in steps] == [
        (RoundStage.ANNOUNCED, RoundStage.APPLICATIONS_OPEN),
        (RoundStage.APPLICATIONS_OPEN, RoundStage.ELIGIBILITY_REVIEW),
    ]
    assert all(s.actor is None for s in steps)
    # Eligibility review ends on the 27th: scoring from the 28th; matching on its date, then stop.
    assert round_advance_due(now=at(2027, 3, 27, 23)) == []
    steps = round_advance_due(now=at(2027, 4, 20))
    assert [s.to_stage for s in steps] == [RoundStage.SCORING, RoundStage.MATCHING]
    # Matching → offers needs an officer's decision, whatever the date.
    assert round_advance_due(now=at(2027, 7, 1)) == []
    round.refresh_from_db()
    assert round.stage == RoundStage.MATCHING
    assert round.transitions.count() == 5


def test_rounds_without_dates_and_locked_rounds_wait(regions):
    undated = make_round(
        MEIXIAN, stage=RoundStage.DRAFT, applications_open_at=None, applications_close_at=None
    )
    locked = make_round(
        TIANHE,
        stage=RoundStage.APPLICATIONS_OPEN,
        applications_close_at=timezone.now() - datetime.timedelta(hours=1),
    )
    run = MatchRun.objects.create(kind=MatchRunKind.SIMULATION)
    RecruitmentRound.objects.filter(pk=locked.pk).update(locked_by_run=run)

    assert round_advance_due(now=timezone.now()) == []
    assert RecruitmentRound.objects.get(pk=undated.pk).stage == RoundStage.DRAFT
    assert RecruitmentRound.objects.get(pk=locked.pk).stage == RoundStage.APPLICATIONS_OPEN


def test_the_beat_task_runs_the_service(regions, settings):
    make_round(
        MEIXIAN,
        stage=RoundStage.APPLICATIONS_OPEN,
        applications_close_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    assert advance_due_rounds.delay().get() == 1
    assert settings.CELERY_BEAT_SCHEDULE["jobs-advance-due-rounds"]["task"] == (
        "jobs.tasks.advance_due_rounds"
    )
