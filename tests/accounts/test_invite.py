"""An HR officer invites cadres of their region; the cadre activates the account from the e-mail."""

from django.core import mail
from django.utils import translation

import pytest
from allauth.account.models import EmailAddress

from accounts.choices import Role
from accounts.models import User
from tests.factories import PASSWORD, UserFactory

from .helpers import MEIXIAN_TOWNSHIP, TIANHE_TOWNSHIP, link_path, mails_to

INVITE = "/zh-hans/me/invite/"
CADRE_EMAIL = "wang.wu@example.gd.cn"
CADRE_PASSWORD = "meixian-cadre-pass-2026"  # noqa: S105


def invite(client, *, email=CADRE_EMAIL, region=MEIXIAN_TOWNSHIP, capture):
    with capture(execute=True):
        return client.post(INVITE, {"email": email, "full_name": "王五", "region": region})


def test_hr_officer_invites_a_cadre_who_activates_once(
    client, hr_meixian, django_capture_on_commit_callbacks
):
    client.force_login(hr_meixian)
    assert client.get(INVITE).status_code == 200
    response = invite(client, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == INVITE

    cadre = User.objects.get(email=CADRE_EMAIL)
    assert cadre.roles == {Role.CADRE}
    assert cadre.full_name == "王五"
    assert cadre.home_region.code == MEIXIAN_TOWNSHIP
    assert not cadre.has_usable_password()
    assert not EmailAddress.objects.get(user=cadre).verified

    [invitation] = mails_to(CADRE_EMAIL)
    assert invitation.subject.startswith("【乡村数字人才平台】")
    assert "梅县区人社局" in invitation.body  # who invited
    link = link_path(invitation.body, "/me/activate/")
    assert link.startswith("/zh-hans/me/activate/")

    # The cadre opens the link in another browser, chooses a password, and can sign in.
    client.logout()
    assert client.get(link).status_code == 200
    response = client.post(link, {"password1": CADRE_PASSWORD, "password2": CADRE_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/accounts/login/"
    cadre.refresh_from_db()
    assert cadre.check_password(CADRE_PASSWORD)
    assert EmailAddress.objects.get(user=cadre).verified

    # The link worked once: a second visit shows the "no longer valid" page.
    again = client.get(link)
    assert again.status_code == 400
    assert again.templates[0].name == "accounts/activate_invalid.html"
    again = client.post(
        link, {"password1": "other-pass-word-2026", "password2": "other-pass-word-2026"}
    )
    assert again.status_code == 400
    cadre.refresh_from_db()
    assert cadre.check_password(CADRE_PASSWORD)

    response = client.post(
        "/zh-hans/accounts/login/", {"login": CADRE_EMAIL, "password": CADRE_PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    assert client.get("/zh-hans/me/").status_code == 200


def test_activation_refuses_mismatched_or_weak_passwords(
    client, hr_meixian, django_capture_on_commit_callbacks
):
    client.force_login(hr_meixian)
    invite(client, capture=django_capture_on_commit_callbacks)
    link = link_path(mails_to(CADRE_EMAIL)[0].body, "/me/activate/")
    client.logout()

    for p1, p2 in [(CADRE_PASSWORD, CADRE_PASSWORD + "x"), ("123", "123")]:
        response = client.post(link, {"password1": p1, "password2": p2})
        assert response.status_code == 200
        assert response.context["form"].errors
    assert not User.objects.get(email=CADRE_EMAIL).has_usable_password()
    assert client.get(link).status_code == 200  # still usable


@pytest.mark.parametrize("token", ["set-password", "garbage-token"])
def test_a_forged_activation_link_is_refused(client, regions, token):
    cadre = UserFactory()
    assert client.get(f"/zh-hans/me/activate/{cadre.pk}/{token}/").status_code == 400


def test_inviting_outside_the_scope_is_refused(
    client, hr_meixian, django_capture_on_commit_callbacks
):
    client.force_login(hr_meixian)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/me/invite/",
            {"email": CADRE_EMAIL, "full_name": "王五", "region": TIANHE_TOWNSHIP},
        )
    assert response.status_code == 200
    assert response.context["form"].errors["region"] == ["This region is outside your scope."]
    assert "This region is outside your scope." in response.content.decode()
    assert not User.objects.filter(email=CADRE_EMAIL).exists()
    assert not mail.outbox


def test_inviting_an_existing_address_is_refused(
    client, hr_meixian, django_capture_on_commit_callbacks
):
    existing = UserFactory(email=CADRE_EMAIL)
    client.force_login(hr_meixian)
    response = invite(client, email=CADRE_EMAIL.upper(), capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD)
    assert not existing.grants.exists()
    assert not mail.outbox


def test_a_county_must_be_chosen_not_a_city(client, hr_meixian, django_capture_on_commit_callbacks):
    client.force_login(hr_meixian)
    response = invite(client, region="441400", capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    assert not User.objects.filter(email=CADRE_EMAIL).exists()


@pytest.mark.parametrize("role", [Role.GRADUATE, Role.CADRE])
def test_people_without_a_scope_cannot_open_the_invite_page(client, regions, role):
    from tests.factories import user_with_role

    client.force_login(user_with_role(role))
    assert client.get(INVITE).status_code == 404
    assert (
        client.post(
            INVITE, {"email": CADRE_EMAIL, "full_name": "x", "region": MEIXIAN_TOWNSHIP}
        ).status_code
        == 404
    )
    assert not User.objects.filter(email=CADRE_EMAIL).exists()
