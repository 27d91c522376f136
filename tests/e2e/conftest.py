"""Browser tests: pytest-playwright (sync API) on Debian's Chromium against ``live_server``.

Every test module here sets ``pytestmark = E2E``: marked ``e2e``, with a transactional database
(the live server answers from another thread). Each test seeds its own data and checks every
page it visits with axe-core.
"""

from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe

# Debian's Chromium and DJANGO_ALLOW_ASYNC_UNSAFE are set up in tests/conftest.py.
PHONE = {"width": 375, "height": 740}
# The live server answers from another thread, so tests commit for real and the database is
# flushed after each one; serialized_rollback restores what migrations created (Wagtail's root
# page, locale, site, groups) at the start of each test.
E2E = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
# axe-core impacts that fail a test; "minor" and "moderate" ones are left to review.
BLOCKING_IMPACTS = frozenset({"serious", "critical"})


@pytest.fixture(scope="session")
def _serialized_db(django_db_setup) -> dict:
    """What ``serialized_rollback`` restores, taken from the connections that set up the database."""
    from django.db import connections

    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


@pytest.fixture(scope="session")
def playwright(_serialized_db, playwright):
    """Playwright, with ``serialized_rollback`` still working once it runs.

    Django keeps its connections in a context variable, and starting Playwright's sync API
    leaves the test code in another context: there Django opens new connection objects,
    which lack the serialized database that pytest-django stored on the old ones, so a
    transactional test would start from an empty database. Hand it over.
    """
    from django.db import connections

    for alias, contents in _serialized_db.items():
        if not hasattr(connections[alias], "_test_serialized_contents"):
            connections[alias]._test_serialized_contents = contents
    return playwright


@pytest.fixture(scope="session")
def _axe() -> Axe:
    return Axe()


def _describe(violation: dict) -> str:
    nodes = "\n".join(
        f"      {', '.join(map(str, node['target']))}: {node.get('failureSummary', '').strip()}"
        for node in violation["nodes"][:5]
    )
    return f"  [{violation['impact']}] {violation['id']}: {violation['help']}\n{nodes}"


@pytest.fixture
def assert_accessible(_axe) -> Callable:
    """``assert_accessible(page)``: no serious or critical axe-core violation on the page now."""

    def check(page) -> None:
        results = _axe.run(page)
        blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"axe-core on {page.url}:\n" + "\n".join(map(_describe, blocking))

    return check


@pytest.fixture
def regions(db) -> None:
    """The small region set: province, cities, counties, and all of 梅县区 and 天河区."""
    from tests.factories import load_small_regions

    load_small_regions()


@pytest.fixture
def site(regions):
    """Regions and the bilingual demo pages, as a visitor would find them."""
    from cms.demo import seed_demo_pages

    return seed_demo_pages()


@pytest.fixture
def sign_in(live_server) -> Callable:
    """``sign_in(page, email, password, lang="zh-hans")`` through allauth's login form."""

    def submit(page, email: str, password: str, lang: str = "zh-hans") -> None:
        login = f"{live_server.url}/{lang}/accounts/login/"
        page.goto(login)
        page.locator("input[name=login]").fill(email)
        page.locator("input[name=password]").fill(password)
        page.locator("form:has(input[name=login]) [type=submit]").click()
        page.wait_for_url(lambda url: not url.startswith(login))

    return submit
