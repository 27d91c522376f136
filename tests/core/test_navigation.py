"""The main navigation offers what the user's roles can do, and every link it offers opens."""

import pytest
from bs4 import BeautifulSoup

from accounts.choices import Role
from regions.services import regions_import
from tests.cms.support import mfa_enable
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

# Province → 梅州市 → 梅县区: enough for a county HR officer's scope.
MEIXIAN = (
    "code,name,level,parent_code\n"
    "440000,广东省,province,\n"
    "441400,梅州市,city,440000\n"
    "441403,梅县区,county,441400\n"
).encode()

SIGNED_IN_ONLY = {"My dashboard", "Account settings", "Sign out"}
PRIVILEGED_ONLY = {"My region", "Invite cadres"}


def navigation(response) -> dict[str, str]:
    """{label: href} of the main navigation (English pages)."""
    html = BeautifulSoup(response.content.decode(), "html.parser")
    return {a.get_text(strip=True): a["href"] for a in html.select("nav.main-nav a")}


@pytest.fixture
def meixian():
    regions_import(source=MEIXIAN)


def assert_every_link_opens(client, nav: dict[str, str]) -> None:
    for label, href in nav.items():
        if label == "Sign out":
            continue  # opens a confirmation page; checked on its own below
        response = client.get(href, follow=True)
        assert response.status_code == 200, (label, href, response.redirect_chain)


def test_anonymous_visitor_is_offered_sign_in_and_registration(client, demo_pages):
    nav = navigation(client.get("/en/"))

    assert nav["Sign in"] == "/en/accounts/login/"
    assert nav["Graduates: register"] == "/en/accounts/signup/"
    assert not (SIGNED_IN_ONLY | PRIVILEGED_ONLY | {"Content admin"}) & set(nav)
    assert_every_link_opens(client, nav)


def test_navigation_is_in_the_pages_language(client, demo_pages):
    chinese = navigation(client.get("/zh-hans/"))
    english = navigation(client.get("/en/"))

    assert set(chinese.values()) == {
        href.replace("/en/", "/zh-hans/", 1) for href in english.values()
    }
    assert set(chinese) != set(english)


def test_cadre_sees_their_dashboard_and_settings_but_not_hr_tools(client, demo_pages):
    client.force_login(user_with_role(Role.CADRE))

    nav = navigation(client.get("/en/"))

    assert nav["My dashboard"] == "/en/me/"
    assert nav["Account settings"] == "/en/me/profile/"
    assert "Sign out" in nav
    assert "Sign in" not in nav
    assert not (PRIVILEGED_ONLY | {"Content admin"}) & set(nav)
    assert_every_link_opens(client, nav)


def test_graduate_sees_the_same_personal_items_as_a_cadre(client, demo_pages):
    client.force_login(user_with_role(Role.GRADUATE))

    nav = navigation(client.get("/en/"))

    assert {"My dashboard", "Account settings"} <= set(nav)
    assert not (PRIVILEGED_ONLY | {"Content admin"}) & set(nav)


def test_hr_officer_sees_their_region_and_cadre_invitations(client, demo_pages, meixian):
    officer = user_with_role(Role.HR_OFFICER, "441403")
    mfa_enable(officer)
    client.force_login(officer)

    nav = navigation(client.get("/en/"))

    assert nav["My region"] == "/en/me/region/"
    assert nav["Invite cadres"] == "/en/me/invite/"
    assert {"My dashboard", "Account settings"} <= set(nav)
    assert "Content admin" not in nav
    assert_every_link_opens(client, nav)
    region = client.get(nav["My region"], follow=True)
    assert region.redirect_chain[-1][0] == "/en/me/region/441403/"


def test_editor_sees_the_content_admin(client, demo_pages, meixian):
    editor = user_with_role(Role.TRAINING_EDITOR, "440000")
    mfa_enable(editor)
    client.force_login(editor)

    nav = navigation(client.get("/en/"))

    assert nav["Content admin"] == "/en/admin/"
    assert {"My dashboard", "Account settings"} <= set(nav)
    assert_every_link_opens(client, nav)


def test_administrator_sees_everything(admin_client_with_mfa, demo_pages):
    nav = navigation(admin_client_with_mfa.get("/en/"))

    assert {"My dashboard", "Account settings", "Content admin"} | PRIVILEGED_ONLY <= set(nav)


def test_sign_out_link_signs_the_user_out(client, demo_pages):
    client.force_login(user_with_role(Role.CADRE))
    sign_out = navigation(client.get("/en/"))["Sign out"]

    confirm = client.get(sign_out)
    client.post(sign_out)

    assert confirm.status_code == 200
    assert "Sign in" in navigation(client.get("/en/"))
