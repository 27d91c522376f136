"""Fixtures for match runs: a 梅县区 round at the matching stage with posts in its villages."""

from decimal import Decimal

import pytest

from accounts.choices import Role
from jobs.choices import ApplicationStatus, MatchRunKind, RoundStage
from jobs.models import Application, MatchRun, Preference
from jobs.services.matching import match_run_start
from tests.accounts.helpers import give_totp
from tests.factories import load_small_regions, user_with_role
from tests.jobs.builders import MEIXIAN, TIANHE, make_graduate, make_post, make_round, villages_of


@pytest.fixture
def regions(db):
    load_small_regions()


@pytest.fixture
def villages(regions):
    return villages_of(MEIXIAN)


@pytest.fixture
def tianhe_villages(regions):
    return villages_of(TIANHE)


@pytest.fixture
def round_(villages):
    return make_round(
        MEIXIAN,
        stage=RoundStage.MATCHING,
        bonus_home_village=Decimal("5"),
        bonus_home_township=Decimal("3"),
        bonus_home_county=Decimal("1"),
        bonus_preservice=Decimal("2"),
        bonus_under_served=Decimal("0"),
    )


@pytest.fixture
def posts(round_, villages):
    """Four posts with one place each, in the first four villages of 梅县区."""
    return [make_post(round_, village) for village in villages[:4]]


@pytest.fixture
def hr(regions):
    user = user_with_role(Role.HR_OFFICER, MEIXIAN)
    give_totp(user)  # HR officers must use MFA to see HR pages
    return user


@pytest.fixture
def hr_tianhe(regions):
    user = user_with_role(Role.HR_OFFICER, TIANHE)
    give_totp(user)
    return user


def apply(
    round_,
    posts,
    *,
    written,
    interview,
    hometown=None,
    status=ApplicationStatus.SCORED,
    user=None,
    **profile,
) -> Application:
    """A graduate (hometown default: a 天河区 village, so no hometown bonus) who applied to
    `posts` in this order, with scores."""
    if user is None:
        if hometown is None:
            hometown = villages_of(TIANHE)[0]
        user = make_graduate(hometown=hometown, **profile)
    application = Application.objects.create(
        round=round_,
        applicant=user,
        status=status,
        written_score=None if written is None else Decimal(str(written)),
        interview_score=None if interview is None else Decimal(str(interview)),
    )
    Preference.objects.bulk_create(
        [Preference(application=application, post=p, rank=i) for i, p in enumerate(posts, 1)]
    )
    return application


def run_now(capture, *, rounds, actor, kind=MatchRunKind.MATCH, **kwargs) -> MatchRun:
    """Start a run and execute it (eager Celery, as a commit would)."""
    with capture(execute=True):
        run = match_run_start(rounds=rounds, actor=actor, kind=kind, **kwargs)
    run.refresh_from_db()
    return run


@pytest.fixture(autouse=True)
def _english(english_messages):
    """Service messages are asserted in English here."""
