"""Fixtures shared by the site-shell tests in tests/cms and tests/core.

Both conftest.py files import them, so each directory's tests can ask for them by name.
"""

import contextlib

from django.db import transaction
from django.test import override_settings

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from accounts.choices import Role
from cms.demo import seed_demo_pages
from cms.models import HomePage
from tests.factories import user_with_role

# Wagtail's background tasks (search and reference indexing) are a third of seeding's queries;
# while seeding they are queued and dropped. These tests never search, and the page edits they
# make themselves are indexed as usual.
SKIP_BACKGROUND_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def mfa_enable(user) -> None:
    """Give ``user`` a TOTP authenticator, as if they had finished allauth's MFA set-up."""
    TOTP.activate(user, generate_totp_secret())


@pytest.fixture(autouse=True)
def empty_cache():
    """The page cache and allauth's rate limits live in the (LocMem) cache: start each test empty."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@contextlib.contextmanager
def module_transaction(django_db_blocker):
    """For a module-scoped fixture: what it writes is seen by the module's tests, then undone.

    The fixture writes inside this outer transaction; pytest-django's ``db`` gives each test a
    savepoint within it, so what a test changes is undone before the next one, and the next
    module starts from an empty database. Tests using it must not ask for ``transactional_db``.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def _demo_site(django_db_setup, django_db_blocker):
    """The demo pages, seeded once per test module (see ``module_transaction``)."""
    with module_transaction(django_db_blocker):
        with django_db_blocker.unblock(), override_settings(TASKS=SKIP_BACKGROUND_TASKS):
            home_pk = seed_demo_pages().pk
        yield home_pk


@pytest.fixture
def demo_pages(_demo_site, db) -> HomePage:
    """The demo site: home, news index, three news pages, about and privacy, each in zh-hans + en.

    Returns the Chinese home page.
    """
    return HomePage.objects.get(pk=_demo_site)


@pytest.fixture
def admin_client_with_mfa(db, client):
    """A test client signed in as a platform administrator who has set up MFA."""
    admin = user_with_role(Role.ADMIN, email="admin@example.gd.cn")
    mfa_enable(admin)
    client.force_login(admin)
    return client
