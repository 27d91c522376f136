"""API authentication: personal bearer tokens, or the browser session with CSRF and MFA."""

import io

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from wagtail.models import APIToken

import pytest
from ninja.errors import HttpError

from accounts.choices import Role
from accounts.services import api_token_create, api_token_revoke
from api.auth import SessionWithMFAAuth, token_or_session
from tests.accounts.helpers import give_totp
from tests.factories import UserFactory, load_small_regions, user_with_role

ME = "/api/v1/me"
NOT_AUTHENTICATED = "not_authenticated"


@pytest.fixture
def regions(db):
    load_small_regions()


def bearer(plaintext: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def assert_401(response) -> None:
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == NOT_AUTHENTICATED
    assert body["message"]
    assert "email" not in body


# --- bearer tokens -----------------------------------------------------------------------------


def test_no_credentials_is_401(client, db):
    assert_401(client.get(ME))


def test_a_revoked_token_is_401(client, db):
    user = UserFactory()
    token, plaintext = api_token_create(user=user, name="old script")
    assert client.get(ME, **bearer(plaintext)).status_code == 200
    api_token_revoke(user=user, token_id=token.pk)
    assert_401(client.get(ME, **bearer(plaintext)))


@pytest.mark.parametrize("garbage", ["garbage", "x" * 200, "wt_0000000000"])
def test_a_garbage_token_is_401_even_with_a_valid_session(client, db, garbage):
    user = UserFactory()
    client.force_login(user)
    assert client.get(ME).status_code == 200  # the session alone works
    assert_401(client.get(ME, **bearer(garbage)))


def test_a_revoked_token_does_not_fall_back_to_the_session(client, db):
    user = UserFactory()
    token, plaintext = api_token_create(user=user, name="x")
    api_token_revoke(user=user, token_id=token.pk)
    client.force_login(user)
    assert_401(client.get(ME, **bearer(plaintext)))


def test_a_token_of_a_deactivated_user_is_401(client, db):
    user = UserFactory()
    _token, plaintext = api_token_create(user=user, name="x")
    user.is_active = False
    user.save()
    assert_401(client.get(ME, **bearer(plaintext)))


def test_a_token_acts_as_its_owner_not_as_the_session_user(client, db):
    owner, other = UserFactory(), UserFactory()
    _token, plaintext = api_token_create(user=owner, name="x")
    client.force_login(other)
    assert client.get(ME, **bearer(plaintext)).json()["email"] == owner.email


def test_token_use_is_recorded(client, db):
    user = UserFactory()
    token, plaintext = api_token_create(user=user, name="x")
    assert token.last_used_at is None
    client.get(ME, **bearer(plaintext))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_plaintext_is_not_stored(db):
    token, plaintext = api_token_create(user=UserFactory(), name="x")
    stored = APIToken.objects.filter(pk=token.pk).values().get()
    assert plaintext not in {str(v) for v in stored.values()}


# --- session: CSRF and MFA ---------------------------------------------------------------------


def test_the_session_auth_checks_csrf():
    sessions = [auth for auth in token_or_session if isinstance(auth, SessionWithMFAAuth)]
    assert len(sessions) == 1
    assert sessions[0].csrf is True


def _session_post(user, *, csrf: bool):
    """A POST carrying the user's session cookie, as a browser on another site would send it."""
    request = RequestFactory().post(ME, data={})
    request.user = user
    request.COOKIES["sessionid"] = "some-session"
    if csrf:
        token = get_token(request)
        request.COOKIES["csrftoken"] = token
        request.META["HTTP_X_CSRFTOKEN"] = token
    return request


def test_a_session_write_without_a_csrf_token_is_refused(db):
    user = UserFactory()
    session_auth = token_or_session[-1]
    with pytest.raises(HttpError) as refused:
        session_auth(_session_post(user, csrf=False))
    assert refused.value.status_code == 403
    assert session_auth(_session_post(user, csrf=True)) == user


def test_a_cross_site_post_with_the_session_cookie_does_not_succeed(db):
    user = UserFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    assert browser.get(ME).status_code == 200
    response = browser.post(ME, data={}, content_type="application/json")
    assert response.status_code in (401, 403, 405)


@pytest.mark.parametrize("role", [Role.HR_OFFICER, Role.TRAINING_EDITOR, Role.ADMIN])
def test_a_privileged_session_without_mfa_is_401(client, regions, role):
    user = user_with_role(role, "441403" if role != Role.ADMIN else None)
    client.force_login(user)
    assert_401(client.get(ME))  # JSON, not a redirect to the MFA setup page
    give_totp(user)
    assert client.get(ME).status_code == 200


def test_demo_privileged_session_is_waived_only_in_debug_with_the_waiver(client, regions, settings):
    user = user_with_role(Role.HR_OFFICER, "441403", is_demo=True)
    client.force_login(user)
    settings.DEMO_MFA_WAIVER = True
    settings.DEBUG = False
    assert_401(client.get(ME))
    settings.DEBUG = True
    assert client.get(ME).status_code == 200


# --- manage.py create_api_token ------------------------------------------------------------------


def test_create_api_token_command_prints_a_working_token_once(client, db):
    user = UserFactory(email="hr.reports@example.gd.cn")
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", "HR.Reports@example.gd.cn", stdout=out, stderr=err)

    plaintext = out.getvalue().strip()
    assert plaintext and "\n" not in plaintext
    token = APIToken.objects.get(user=user)
    assert token.name == "cli"
    assert plaintext.startswith(token.prefix)
    assert "not be shown again" in err.getvalue()
    assert plaintext not in err.getvalue()

    response = client.get(ME, **bearer(plaintext))
    assert response.status_code == 200
    assert response.json()["email"] == user.email


def test_create_api_token_command_takes_a_name(db):
    user = UserFactory()
    call_command(
        "create_api_token",
        user.email,
        "--name",
        "nightly export",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert APIToken.objects.get(user=user).name == "nightly export"


@pytest.mark.parametrize("args", [["nobody@example.gd.cn"], ["{email}", "--name", "   "]])
def test_create_api_token_command_errors_clearly(db, args):
    user = UserFactory()
    args = [a.format(email=user.email) for a in args]
    with pytest.raises(CommandError) as exc:
        call_command("create_api_token", *args, stdout=io.StringIO(), stderr=io.StringIO())
    assert str(exc.value)
    if args[0] == "nobody@example.gd.cn":
        assert "nobody@example.gd.cn" in str(exc.value)
    assert not APIToken.objects.exists()


def test_create_api_token_command_refuses_an_inactive_account(db):
    user = get_user_model().objects.create_user("gone@example.gd.cn", "x", is_active=False)
    with pytest.raises(CommandError, match="inactive"):
        call_command("create_api_token", user.email, stdout=io.StringIO(), stderr=io.StringIO())
    assert not APIToken.objects.exists()
