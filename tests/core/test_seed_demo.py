"""`manage.py seed_demo`: demo pages and accounts on a development machine, never in production."""

import io

from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import override_settings

from wagtail.models import Page, Revision, Site

import pytest
from allauth.account.models import EmailAddress

from accounts.choices import Role
from accounts.models import RoleGrant, User
from cms.models import HomePage, NewsPage, SiteSettings, StandardPage
from regions.models import Region
from tests.cms.support import module_transaction
from tests.factories import load_small_regions

# email: (role, scope code or None, home region: (level, county it lies in) or None)
DEMO_ACCOUNTS = {
    "admin@demo.gd.cn": (Role.ADMIN, None, None),
    "editor@demo.gd.cn": (Role.TRAINING_EDITOR, "440000", None),
    "hr.province@demo.gd.cn": (Role.HR_OFFICER, "440000", None),
    "hr.meixian@demo.gd.cn": (Role.HR_OFFICER, "441403", None),
    "hr.tianhe@demo.gd.cn": (Role.HR_OFFICER, "440106", None),
    "cadre@demo.gd.cn": (Role.CADRE, None, ("township", "441403")),
    "graduate@demo.gd.cn": (Role.GRADUATE, None, ("village", "441403")),
}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> str:
    """The small regions set and one run of seed_demo (DEBUG on); returns what it printed."""
    with module_transaction(django_db_blocker):
        with (
            django_db_blocker.unblock(),
            override_settings(DEBUG=True, WAGTAILADMIN_BASE_URL="http://127.0.0.1:8123"),
        ):
            load_small_regions()
            out = io.StringIO()
            call_command("seed_demo", stdout=out)
        yield out.getvalue()


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "role grants": RoleGrant.objects.count(),
        "e-mail addresses": EmailAddress.objects.count(),
        "groups": Group.objects.count(),
        "pages": Page.objects.count(),
        "live pages": Page.objects.live().count(),
        "home pages": HomePage.objects.count(),
        "news pages": NewsPage.objects.count(),
        "standard pages": StandardPage.objects.count(),
        "sites": Site.objects.count(),
        "site settings": SiteSettings.objects.count(),
        "regions": Region.objects.count(),
    }


def test_seed_demo_creates_the_seven_demo_accounts_with_their_roles_and_scopes(seeded, db):
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.gd.cn")}

    assert set(users) == set(DEMO_ACCOUNTS)
    for email, (role, scope, home) in DEMO_ACCOUNTS.items():
        user = users[email]
        grants = [
            (g.role, g.region.code if g.region else None)
            for g in user.grants.select_related("region")
        ]
        assert grants == [(role, scope)], email
        assert user.is_demo and user.is_active, email
        assert user.check_password(django_settings.DEMO_PASSWORD), email
        assert EmailAddress.objects.filter(
            user=user, email=email, verified=True, primary=True
        ).exists()
        if home is None:
            assert user.home_region is None or role != Role.CADRE, email
        else:
            level, county = home
            assert user.home_region.level == level, email
            assert county in user.home_region.ancestor_codes, email
    assert users["admin@demo.gd.cn"].is_superuser
    assert not users["hr.meixian@demo.gd.cn"].is_superuser
    assert users["hr.meixian@demo.gd.cn"].requires_mfa
    assert not users["cadre@demo.gd.cn"].requires_mfa


def test_seed_demo_creates_the_bilingual_demo_site(seeded, db):
    assert (
        HomePage.objects.filter(locale__language_code="zh-hans").get().title == "乡村数字人才平台"
    )
    assert HomePage.objects.filter(locale__language_code="en").get().title == (
        "Rural Digital Talent Platform"
    )
    assert NewsPage.objects.live().count() == 6
    assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage


def test_seed_demo_prints_the_logins_and_their_password(seeded, db):
    for email in DEMO_ACCOUNTS:
        assert email in seeded
    assert django_settings.DEMO_PASSWORD in seeded
    assert "Demo logins" in seeded
    # `make run PORT=8123` passes its address on: the printed links must be the ones served.
    assert "http://127.0.0.1:8123/zh-hans/admin/" in seeded
    assert ":8000" not in seeded


def test_seed_demo_twice_changes_nothing(seeded, db, settings):
    settings.DEBUG = True
    before = counts()
    roles_before = sorted(RoleGrant.objects.values_list("user__email", "role", "region__code"))

    call_command("seed_demo", stdout=io.StringIO())

    assert counts() == before
    assert (
        sorted(RoleGrant.objects.values_list("user__email", "role", "region__code")) == roles_before
    )
    # Re-running publishes the same content again: nothing a visitor would notice.
    assert Revision.objects.exists()


def test_a_demo_cadre_signs_in_with_the_demo_password(seeded, db, client):
    response = client.post(
        "/en/accounts/login/",
        {"login": "cadre@demo.gd.cn", "password": django_settings.DEMO_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == "/en/me/"
    assert client.get("/en/me/").status_code == 200
