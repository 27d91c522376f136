"""The personal pages under /<lang>/me/ and allauth's account pages."""

import re

from django.utils import translation

from wagtail.models import APIToken

import pytest

from accounts.choices import Role
from accounts.services import api_token_create
from tests.factories import UserFactory, region, user_with_role

from .helpers import MEIXIAN, MEIXIAN_TOWNSHIP, TIANHE, TIANHE_TOWNSHIP

PROFILE = "/zh-hans/me/profile/"
TOKENS = "/zh-hans/me/api-tokens/"


def profile_data(**changes):
    data = {"full_name": "陈小红", "phone": "", "preferred_language": "zh-hans", "home_region": ""}
    data.update(changes)
    return data


# --- profile ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["138 1234 5678", "+86 138 1234 5678", "+8613812345678", " 13812345678 "]
)
def test_profile_saves_name_phone_and_home_region(client, graduate, typed):
    client.force_login(graduate)
    response = client.post(PROFILE, profile_data(phone=typed, home_region=MEIXIAN_TOWNSHIP))
    assert response.status_code == 302
    assert response["Location"] == PROFILE
    graduate.refresh_from_db()
    assert graduate.full_name == "陈小红"
    assert graduate.phone == "13812345678"
    assert graduate.home_region.code == MEIXIAN_TOWNSHIP

    page = client.get(PROFILE).content.decode()
    assert 'value="13812345678"' in page
    assert MEIXIAN_TOWNSHIP in page


@pytest.mark.parametrize(
    "typed", ["12345", "23812345678", "138123456789", "1381234567a", "+85213812345678"]
)
def test_profile_refuses_a_bad_phone_number(client, graduate, typed):
    client.force_login(graduate)
    with translation.override("en"):
        response = client.post(
            "/en/me/profile/", profile_data(phone=typed, preferred_language="en")
        )
    assert response.status_code == 200
    assert "Enter an 11-digit mainland mobile number" in response.content.decode()
    graduate.refresh_from_db()
    assert graduate.phone == ""


def test_profile_refuses_an_unknown_region(client, graduate):
    client.force_login(graduate)
    response = client.post(PROFILE, profile_data(home_region="449999"))
    assert response.status_code == 200
    assert "home_region" in response.context["form"].errors
    graduate.refresh_from_db()
    assert graduate.home_region is None


def test_changing_the_language_moves_to_the_other_language_prefix(client, graduate):
    client.force_login(graduate)
    response = client.post(PROFILE, profile_data(preferred_language="en"))
    assert response.status_code == 302
    assert response["Location"] == "/en/me/profile/"
    graduate.refresh_from_db()
    assert graduate.preferred_language == "en"
    page = client.get(response["Location"])
    assert '<html lang="en"' in page.content.decode()

    back = client.post("/en/me/profile/", profile_data(preferred_language="zh-hans"))
    assert back["Location"] == PROFILE


@pytest.mark.parametrize(
    "path",
    [
        "/zh-hans/me/",
        PROFILE,
        "/zh-hans/accounts/email/",
        "/zh-hans/accounts/2fa/",
        "/zh-hans/accounts/sessions/",
    ],
)
def test_account_pages_render_for_a_signed_in_user(client, graduate, path):
    client.force_login(graduate)
    response = client.get(path)
    assert response.status_code == 200
    if path in ("/zh-hans/me/", PROFILE, "/zh-hans/accounts/email/"):
        html = response.content.decode()
        assert graduate.full_name in html or graduate.email in html


@pytest.mark.parametrize("path", ["/zh-hans/me/", PROFILE, TOKENS, "/zh-hans/accounts/sessions/"])
def test_account_pages_ask_visitors_to_sign_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/zh-hans/accounts/login/")


def test_sessions_page_lists_the_current_session(client, graduate):
    from tests.factories import PASSWORD

    client.post("/zh-hans/accounts/login/", {"login": graduate.email, "password": PASSWORD})
    page = client.get("/zh-hans/accounts/sessions/")
    assert page.status_code == 200
    assert len(page.context["sessions"]) == 1


# --- API tokens -------------------------------------------------------------------------------


def test_a_new_token_is_shown_once(client, graduate):
    client.force_login(graduate)
    response = client.post(TOKENS, {"name": "county HR reports"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    match = re.search(r'id="new-token">([^<]+)<', response.content.decode())
    assert match
    plaintext = match.group(1).strip()
    token = APIToken.objects.get(user=graduate)
    assert token.name == "county HR reports"
    assert plaintext.startswith(token.prefix)
    assert plaintext not in str(token.key_hash)

    later = client.get(TOKENS).content.decode()
    assert plaintext not in later
    assert "county HR reports" in later
    assert token.prefix in later


def test_a_token_needs_a_name(client, graduate):
    client.force_login(graduate)
    response = client.post(TOKENS, {"name": ""})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not APIToken.objects.exists()


def test_revoking_a_token(client, graduate):
    token, _plaintext = api_token_create(user=graduate, name="script")
    client.force_login(graduate)
    response = client.post(f"/zh-hans/me/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert response["Location"] == TOKENS
    token.refresh_from_db()
    assert token.revoked_at is not None
    # Revoking twice is "not found"; the page no longer offers it.
    assert client.post(f"/zh-hans/me/api-tokens/{token.pk}/revoke/").status_code == 404
    assert f"/api-tokens/{token.pk}/revoke/" not in client.get(TOKENS).content.decode()


def test_revoking_someone_elses_token_is_not_found(client, graduate):
    other = UserFactory()
    token, _plaintext = api_token_create(user=other, name="theirs")
    client.force_login(graduate)
    assert client.post(f"/zh-hans/me/api-tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert "theirs" not in client.get(TOKENS).content.decode()


def test_revoking_needs_a_post(client, graduate):
    token, _plaintext = api_token_create(user=graduate, name="script")
    client.force_login(graduate)
    assert client.get(f"/zh-hans/me/api-tokens/{token.pk}/revoke/").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


# --- HR region pages --------------------------------------------------------------------------


def _row(html: str, name: str) -> list[int]:
    match = re.search(rf">{re.escape(name)}</a></th>((?:<td>\d+</td>)+)", html)
    assert match, f"no row for {name}"
    return [int(n) for n in re.findall(r"<td>(\d+)</td>", match.group(1))]


def test_hr_region_page_lists_child_regions_with_counts(client, hr_meixian):
    township = region(MEIXIAN_TOWNSHIP)
    village = township.children.order_by("code").first()
    user_with_role(Role.CADRE, home_region=township)
    user_with_role(Role.CADRE, home_region=village)
    user_with_role(Role.GRADUATE, home_region=village)
    user_with_role(Role.CADRE, home_region=region(TIANHE_TOWNSHIP))  # elsewhere: not counted
    user_with_role(Role.CADRE, home_region=township, is_active=False)  # inactive: not counted

    client.force_login(hr_meixian)
    assert client.get("/zh-hans/me/region/")["Location"] == f"/zh-hans/me/region/{MEIXIAN}/"
    response = client.get(f"/zh-hans/me/region/{MEIXIAN}/")
    assert response.status_code == 200
    html = response.content.decode()
    children = list(region(MEIXIAN).children.all())
    assert len(response.context["rows"]) == len(children) > 1
    for child in children:
        assert f'href="/zh-hans/me/region/{child.code}/"' in html
    assert _row(html, township.name) == [2, 1, 0]
    other = next(c for c in children if c != township)
    assert _row(html, other.name) == [0, 0, 0]

    # One level down, the village holds one cadre and one graduate.
    html = client.get(f"/zh-hans/me/region/{MEIXIAN_TOWNSHIP}/").content.decode()
    assert _row(html, village.name) == [1, 1, 0]


@pytest.mark.parametrize("code", [TIANHE, TIANHE_TOWNSHIP, "441400", "440000", "000000"])
def test_hr_region_page_outside_the_scope_is_not_found(client, hr_meixian, code):
    client.force_login(hr_meixian)
    assert client.get(f"/zh-hans/me/region/{code}/").status_code == 404


def test_hr_region_pages_are_not_for_graduates(client, graduate):
    client.force_login(graduate)
    assert client.get("/zh-hans/me/region/").status_code == 404
    assert client.get(f"/zh-hans/me/region/{MEIXIAN}/").status_code == 404
