import pytest

from accounts.choices import Role
from jobs.choices import RoundStage
from tests.accounts.helpers import give_totp
from tests.factories import load_small_regions, user_with_role
from tests.jobs.builders import load_reference_data, make_post, make_round, villages_of

from .helpers import MEIXIAN, TIANHE


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT


@pytest.fixture
def regions(db):
    load_small_regions()
    load_reference_data()


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
def meixian_villages(regions):
    return villages_of(MEIXIAN)


@pytest.fixture
def round_review(meixian_villages):
    """A 梅县区 round at the eligibility review, with posts in three villages of two townships."""
    return make_round(MEIXIAN, stage=RoundStage.ELIGIBILITY_REVIEW)


@pytest.fixture
def posts(round_review, meixian_villages):
    villages = _two_townships(meixian_villages)
    return [make_post(round_review, village) for village in villages]


def _two_townships(villages):
    """Two villages of the first township and one of another township."""
    first = [v for v in villages if v.parent_id == villages[0].parent_id][:2]
    other = next(v for v in villages if v.parent_id != villages[0].parent_id)
    return [*first, other]


@pytest.fixture
def tianhe_round(regions):
    return make_round(TIANHE, stage=RoundStage.ELIGIBILITY_REVIEW)
