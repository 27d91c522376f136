"""Fixtures for the account tests: the small region set, an empty cache, users with roles and MFA."""

from django.core.cache import cache

import pytest

from accounts.choices import Role
from tests.factories import load_small_regions, user_with_role

from .helpers import MEIXIAN, give_totp


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and used TOTP codes live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def regions(db):
    load_small_regions()


@pytest.fixture
def graduate(regions):
    return user_with_role(Role.GRADUATE)


@pytest.fixture
def cadre(regions):
    return user_with_role(Role.CADRE)


@pytest.fixture
def hr_meixian(regions):
    """An HR officer of 梅县区 who has set up an authenticator app (its secret: `.totp_secret`)."""
    user = user_with_role(Role.HR_OFFICER, MEIXIAN, full_name="梅县区人社局")
    user.totp_secret = give_totp(user)
    return user
