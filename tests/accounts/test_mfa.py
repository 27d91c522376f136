"""HR officers, editors and administrators cannot go anywhere without a second factor."""

from django.urls import reverse
from django.utils import translation

import pytest
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from allauth.mfa.utils import is_mfa_enabled

from accounts.choices import Role
from tests.factories import PASSWORD, user_with_role

from .helpers import MEIXIAN, give_totp, totp_code

ME = "/zh-hans/me/"
ADMIN = "/zh-hans/admin/"
MFA_SETUP = "/zh-hans/accounts/2fa/totp/activate/"
REAUTH = "/zh-hans/accounts/reauthenticate/?next=%2Fzh-hans%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"


def privileged(role: str, **kwargs):
    return user_with_role(
        role, MEIXIAN if role in (Role.HR_OFFICER, Role.TRAINING_EDITOR) else None, **kwargs
    )


PRIVILEGED = [Role.HR_OFFICER, Role.TRAINING_EDITOR, Role.ADMIN]


def test_setup_page_is_the_named_allauth_view():
    with translation.override("zh-hans"):
        assert reverse("mfa_activate_totp") == MFA_SETUP


@pytest.mark.parametrize("role", PRIVILEGED)
@pytest.mark.parametrize("path", [ME, ADMIN, "/zh-hans/me/profile/", "/en/me/"])
def test_privileged_user_without_totp_is_sent_to_mfa_setup(client, regions, role, path):
    client.force_login(privileged(role))
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].endswith("/accounts/2fa/totp/activate/")


@pytest.mark.parametrize("role", PRIVILEGED)
def test_privileged_user_signing_in_without_totp_can_set_it_up_and_then_go_on(
    client, regions, role
):
    user = privileged(role)
    response = client.post(
        "/zh-hans/accounts/login/", {"login": user.email, "password": PASSWORD}, follow=True
    )
    # Signed in, every page leads to the setup, which (allauth) first asks to confirm the password.
    assert [url for url, _status in response.redirect_chain][-2:] == [MFA_SETUP, REAUTH]
    assert response.status_code == 200
    assert "_auth_user_id" in client.session
    assert client.get(ME)["Location"] == MFA_SETUP
    response = client.post(REAUTH, {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == MFA_SETUP
    assert response.status_code == 200

    # The setup page shows a secret; entering the app's code for it activates MFA.
    secret = client.session[SECRET_SESSION_KEY]
    assert secret in response.content.decode()
    activated = client.post(MFA_SETUP, {"code": totp_code(secret)})
    assert activated.status_code == 302
    assert is_mfa_enabled(user)
    assert client.get(ME).status_code == 200


@pytest.mark.parametrize("role", PRIVILEGED)
def test_privileged_user_without_totp_can_reauthenticate_and_log_out(client, regions, role):
    client.force_login(privileged(role))
    # A session that did not just sign in is asked for the password before setting up MFA.
    page = client.get(MFA_SETUP, follow=True)
    assert page.status_code == 200
    assert page.redirect_chain[-1][0] == REAUTH

    response = client.post("/zh-hans/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    # Signed out, the personal pages ask for a sign-in, not for MFA.
    assert "/accounts/login/" in client.get(ME)["Location"]


@pytest.mark.parametrize("role", [Role.CADRE, Role.GRADUATE, Role.OPERATOR])
def test_cadres_and_graduates_need_no_second_factor(client, regions, role):
    client.force_login(user_with_role(role))
    assert client.get(ME).status_code == 200


@pytest.mark.parametrize("role", PRIVILEGED)
def test_with_totp_the_privileged_user_reaches_pages(client, regions, role):
    user = privileged(role)
    give_totp(user)
    client.force_login(user)
    assert client.get(ME).status_code == 200
    assert client.get("/zh-hans/me/profile/").status_code == 200


def test_editor_with_totp_reaches_the_wagtail_admin(client, regions):
    editor = privileged(Role.TRAINING_EDITOR)
    give_totp(editor)
    client.force_login(editor)
    assert client.get(ADMIN).status_code == 200


@pytest.mark.parametrize("who", ["hr", "cadre"])
def test_signed_in_user_without_admin_access_is_told_so_not_bounced_around(
    client, hr_meixian, cadre, who
):
    client.force_login(hr_meixian if who == "hr" else cadre)
    # Following redirects raises RedirectCycleError if the admin and the login page bounce.
    with translation.override("en"):
        response = client.get("/en/admin/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/en/accounts/login/")
    assert "You do not have permission to access the admin." in response.content.decode()
    assert "_auth_user_id" in client.session


@pytest.mark.parametrize(
    ("debug", "waiver", "is_demo", "waived"),
    [
        (True, True, True, True),
        (False, True, True, False),
        (True, False, True, False),
        (True, True, False, False),
    ],
)
def test_demo_waiver_needs_debug_waiver_setting_and_a_demo_account(
    client, regions, settings, debug, waiver, is_demo, waived
):
    settings.DEBUG = debug
    settings.DEMO_MFA_WAIVER = waiver
    user = privileged(Role.HR_OFFICER, is_demo=is_demo)
    client.force_login(user)
    response = client.get(ME)
    if waived:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"] == MFA_SETUP


def test_password_alone_does_not_sign_in_a_user_with_totp(client, hr_meixian):
    secret = hr_meixian.totp_secret
    response = client.post(
        "/zh-hans/accounts/login/", {"login": hr_meixian.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    assert "/accounts/login/" in client.get(ME)["Location"]

    # A wrong code keeps the door shut; the app's current code opens it.
    stage = client.post(
        "/zh-hans/accounts/2fa/authenticate/",
        {"code": "000000" if totp_code(secret) != "000000" else "111111"},
    )
    assert stage.status_code == 200
    assert "_auth_user_id" not in client.session
    done = client.post("/zh-hans/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert done.status_code == 302
    assert client.get(ME).status_code == 200


def test_password_sign_in_without_totp_for_a_cadre_goes_straight_in(client, cadre):
    response = client.post("/zh-hans/accounts/login/", {"login": cadre.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "2fa" not in response["Location"]
    assert client.get(ME).status_code == 200
