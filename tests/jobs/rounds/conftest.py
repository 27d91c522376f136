"""Fixtures for rounds, posts and the public search: the small region set, officers of two
counties (with an authenticator, as HR must), an administrator and a graduate."""

import datetime

from django.core.cache import cache
from django.utils import timezone

import pytest

from accounts.choices import Role
from jobs.choices import PlacementStatus, RoundStage
from jobs.models import Application, Offer, Placement
from tests.accounts.helpers import give_totp
from tests.factories import load_small_regions, user_with_role
from tests.jobs.builders import MEIXIAN, TIANHE, load_reference_data, make_round


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT


@pytest.fixture
def regions(db):
    load_small_regions()
    load_reference_data()


def _officer(code: str, name: str):
    user = user_with_role(Role.HR_OFFICER, code, full_name=name)
    give_totp(user)
    return user


@pytest.fixture
def hr_meixian(regions):
    return _officer(MEIXIAN, "梅县区人社局")


@pytest.fixture
def hr_tianhe(regions):
    return _officer(TIANHE, "天河区人社局")


@pytest.fixture
def admin_user(regions):
    user = user_with_role(Role.ADMIN)
    give_totp(user)
    return user


@pytest.fixture
def graduate(regions):
    return user_with_role(Role.GRADUATE)


@pytest.fixture
def draft_round(regions):
    return make_round(MEIXIAN, stage=RoundStage.DRAFT)


@pytest.fixture
def open_round(regions):
    return make_round(MEIXIAN, stage=RoundStage.APPLICATIONS_OPEN)


def place_operator(post, user=None):
    """A graduate in post at `post`'s village (an accepted offer and an active placement)."""
    user = user or user_with_role(Role.GRADUATE)
    application = Application.objects.create(round=post.round, applicant=user)
    offer = Offer.objects.create(
        application=application,
        post=post,
        status="accepted",
        reply_deadline=timezone.now() + datetime.timedelta(days=7),
    )
    return Placement.objects.create(
        offer=offer,
        user=user,
        post=post,
        village=post.village,
        status=PlacementStatus.IN_SERVICE,
        start_date=datetime.date(2025, 9, 1),
        term_end=datetime.date(2027, 8, 31),
    )
