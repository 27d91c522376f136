"""Fixtures for applications, offers and placements: a 梅县区 round with posts in its villages."""

import pytest

from accounts.choices import Role
from tests.factories import load_small_regions, user_with_role
from tests.jobs.builders import MEIXIAN, make_graduate, make_post, make_round, villages_of


@pytest.fixture
def regions(db):
    load_small_regions()


@pytest.fixture
def meixian_villages(regions):
    return villages_of(MEIXIAN)


@pytest.fixture
def round_(meixian_villages):
    return make_round(MEIXIAN, max_preferences=5)


@pytest.fixture
def posts(round_, meixian_villages):
    return [make_post(round_, village) for village in meixian_villages[:12]]


@pytest.fixture
def graduate(regions):
    return make_graduate()


@pytest.fixture
def hr_meixian(regions):
    return user_with_role(Role.HR_OFFICER, MEIXIAN)
