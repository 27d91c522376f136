"""Signing in, signing up and resetting a password: rate limits, no account enumeration, verification."""

import re

from django.core import mail
from django.utils import translation

import pytest
from allauth.account.models import EmailAddress

from accounts.choices import Role
from accounts.models import User
from tests.factories import PASSWORD, UserFactory

from .helpers import link_path, mails_to

LOGIN = "/en/accounts/login/"
SIGNUP = "/en/accounts/signup/"
RESET = "/en/accounts/password/reset/"
ME = "/en/me/"
TOO_MANY = "Too many failed login attempts. Try again later."
NEW_PASSWORD = "a-new-graduate-pass-2026"  # noqa: S105


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- rate limit ---------------------------------------------------------------------------


def test_five_failed_logins_lock_the_account_even_for_the_right_password(client, db):
    user = UserFactory()
    with translation.override("en"):
        for _attempt in range(5):
            response = client.post(LOGIN, {"login": user.email, "password": "wrong-password"})
            assert response.status_code == 200
            assert TOO_MANY not in response.content.decode()
            assert not signed_in(client)

        response = client.post(LOGIN, {"login": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 200
    assert TOO_MANY in response.content.decode()
    assert not signed_in(client)


def test_the_lock_is_per_account(client, db):
    locked, other = UserFactory(), UserFactory()
    for _attempt in range(5):
        client.post(LOGIN, {"login": locked.email, "password": "wrong-password"})

    response = client.post(LOGIN, {"login": other.email, "password": PASSWORD})
    assert response.status_code == 302
    assert signed_in(client)


def test_a_few_failures_then_the_right_password_signs_in(client, db):
    user = UserFactory()
    for _attempt in range(4):
        client.post(LOGIN, {"login": user.email, "password": "wrong-password"})
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert signed_in(client)


# --- enumeration ----------------------------------------------------------------------------


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_password_reset_looks_the_same_for_known_and_unknown_addresses(
    client, db, django_capture_on_commit_callbacks
):
    known = UserFactory()
    unknown = "nobody-here@example.gd.cn"

    with django_capture_on_commit_callbacks(execute=True):
        for_known = client.post(RESET, {"email": known.email}, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        for_unknown = client.post(RESET, {"email": unknown}, follow=True)

    assert for_known.status_code == for_unknown.status_code == 200
    assert for_known.redirect_chain == for_unknown.redirect_chain
    assert _without_csrf(for_known.content.decode()) == _without_csrf(for_unknown.content.decode())

    # The owner gets a reset link; the unknown address is told no account exists, without a link.
    [reset] = mails_to(known.email)
    assert "/accounts/password/reset/key/" in reset.body
    [notice] = mails_to(unknown)
    assert "/accounts/password/reset/key/" not in notice.body
    # The notice names the address that was tried and where it came from (allauth's context).
    assert unknown in notice.body
    assert "Hello from testserver!" in notice.body
    assert len(mail.outbox) == 2


def test_sign_up_with_an_existing_address_does_not_reveal_it(
    client, db, django_capture_on_commit_callbacks
):
    existing = UserFactory()
    data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}

    with django_capture_on_commit_callbacks(execute=True):
        for_new = client.post(SIGNUP, {**data, "email": "fresh@example.gd.cn"}, follow=True)
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        for_existing = client.post(SIGNUP, {**data, "email": existing.email.upper()}, follow=True)

    assert for_new.status_code == for_existing.status_code == 200
    assert for_new.redirect_chain == for_existing.redirect_chain
    assert for_existing.redirect_chain[-1][0] == "/en/accounts/confirm-email/"
    assert _without_csrf(for_new.content.decode()).replace(
        "fresh@example.gd.cn", "X"
    ) == _without_csrf(for_existing.content.decode()).replace(existing.email.upper(), "X").replace(
        existing.email, "X"
    )

    # No second account, the existing password still works, and the owner is warned by e-mail.
    assert User.objects.filter(email__iexact=existing.email).count() == 1
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD)
    [warning] = mails_to(existing.email)
    assert "/accounts/confirm-email/" not in warning.body
    [confirm] = mails_to("fresh@example.gd.cn")
    assert "/accounts/confirm-email/" in confirm.body


# --- sign-up --------------------------------------------------------------------------------


def test_sign_up_makes_a_graduate_who_must_verify_the_address_first(
    client, db, django_capture_on_commit_callbacks
):
    email = "new.graduate@example.gd.cn"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            SIGNUP,
            {
                "email": email,
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                "full_name": "李明",
            },
        )
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"
    assert not signed_in(client)

    user = User.objects.get(email=email)
    assert user.roles == {Role.GRADUATE}
    assert user.full_name == "李明"
    assert user.preferred_language == "en"
    assert not EmailAddress.objects.get(user=user).verified

    # Signing in before verifying only re-sends the verification e-mail.
    response = client.post(LOGIN, {"login": email, "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"
    assert not signed_in(client)
    assert client.get(ME)["Location"].startswith("/en/accounts/login/")

    [verification] = mails_to(email)
    assert verification.subject.startswith("【乡村数字人才平台】")
    assert "Please Confirm Your Email Address" in verification.subject
    confirm = link_path(verification.body, "/accounts/confirm-email/")
    assert confirm.startswith("/en/")

    assert client.get(confirm).status_code == 200
    response = client.post(confirm)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    client.logout()
    response = client.post(LOGIN, {"login": email, "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert signed_in(client)
    assert client.get(ME).status_code == 200


def test_sign_up_in_chinese_sends_a_chinese_verification_mail(
    client, db, django_capture_on_commit_callbacks
):
    email = "zhang.san@example.gd.cn"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/zh-hans/accounts/signup/",
            {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
    assert response.status_code == 302
    assert User.objects.get(email=email).preferred_language == "zh-hans"

    [verification] = mails_to(email)
    assert verification.subject.startswith("【乡村数字人才平台】")
    rest = verification.subject.removeprefix("【乡村数字人才平台】")
    assert "Please Confirm Your Email Address" not in rest
    assert re.search(r"[\u4e00-\u9fff]", rest), verification.subject
    assert link_path(verification.body, "/accounts/confirm-email/").startswith("/zh-hans/")


@pytest.mark.parametrize("bad", [{"password2": "something-else-2026"}, {"email": "not-an-address"}])
def test_sign_up_with_bad_input_creates_nothing(client, db, bad):
    data = {"email": "x@example.gd.cn", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, **bad}
    response = client.post(SIGNUP, data)
    assert response.status_code == 200
    assert not User.objects.exists()
    assert not mail.outbox
