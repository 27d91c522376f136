"""GET /api/v1/me: who is calling, with their roles and scopes."""

import pytest

from accounts.choices import Role
from accounts.services import api_token_create, role_grant
from tests.accounts.helpers import give_totp
from tests.factories import UserFactory, load_small_regions, region, user_with_role

ME = "/api/v1/me"


@pytest.fixture
def regions(db):
    load_small_regions()


def bearer(plaintext: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def test_me_with_a_bearer_token_lists_roles_and_scopes(client, regions):
    user = user_with_role(
        Role.CADRE, full_name="王五", home_region=region("441403001"), preferred_language="en"
    )
    role_grant(user=user, role=Role.HR_OFFICER, region=region("441403"))
    _token, plaintext = api_token_create(user=user, name="reports")

    response = client.get(ME, **bearer(plaintext))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["email"] == user.email
    assert body["full_name"] == "王五"
    assert body["preferred_language"] == "en"
    assert body["home_region_code"] == "441403001"
    roles = sorted(body["roles"], key=lambda r: r["role"])
    assert [(r["role"], r["region_code"], r["region_name"]) for r in roles] == [
        ("cadre", None, None),
        ("hr", "441403", "梅县区"),
    ]
    assert all(r["label"] for r in roles)


def test_me_for_a_user_without_roles_or_region(client, db):
    user = UserFactory()
    _token, plaintext = api_token_create(user=user, name="x")
    body = client.get(ME, **bearer(plaintext)).json()
    assert body["roles"] == []
    assert body["home_region_code"] is None


def test_me_with_the_browser_session(client, regions):
    user = user_with_role(Role.GRADUATE)
    client.force_login(user)
    response = client.get(ME)
    assert response.status_code == 200
    assert response.json()["email"] == user.email
    assert [r["role"] for r in response.json()["roles"]] == ["graduate"]


def test_me_with_the_session_of_an_hr_officer_who_has_mfa(client, regions):
    officer = user_with_role(Role.HR_OFFICER, "441403")
    give_totp(officer)
    client.force_login(officer)
    response = client.get(ME)
    assert response.status_code == 200
    assert response.json()["roles"][0]["region_code"] == "441403"


def test_token_of_a_privileged_user_works_without_a_browser_mfa_step(client, regions):
    """A token was created by a signed-in (hence MFA-checked) user and is a credential of its own."""
    officer = user_with_role(Role.HR_OFFICER, "441403")
    _token, plaintext = api_token_create(user=officer, name="county reports")
    assert client.get(ME, **bearer(plaintext)).status_code == 200


def test_me_takes_a_bounded_number_of_queries(client, regions, django_assert_max_num_queries):
    user = user_with_role(Role.CADRE)
    for code in ("441403", "440106", "440000"):
        role_grant(user=user, role=Role.HR_OFFICER, region=region(code))
    _token, plaintext = api_token_create(user=user, name="x")
    with django_assert_max_num_queries(8):
        response = client.get(ME, **bearer(plaintext))
    assert len(response.json()["roles"]) == 4
