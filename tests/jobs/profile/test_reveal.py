"""The full ID number: only by POST, only for HR in scope, only after re-authentication, audited."""

from django.urls import reverse

import pytest

from accounts.choices import AuditAction
from accounts.models import AuditEvent
from jobs.crypto import personal_decrypt
from tests.jobs.builders import make_graduate

from .helpers import apply, reauthenticate


@pytest.fixture
def graduate(regions):
    user = make_graduate()
    apply(user)  # a 梅县区 round
    return user


@pytest.fixture
def profile(graduate):
    return graduate.graduate_profile


def reveal_url(profile):
    return reverse("jobs:id_reveal", args=[profile.pk])


def test_hr_in_scope_after_reauthentication_sees_the_number_once_and_it_is_audited(
    client, hr_meixian, profile
):
    number = personal_decrypt(profile.id_number_encrypted)
    client.force_login(hr_meixian)

    asked = client.post(reveal_url(profile))
    assert asked.status_code == 302
    assert "/accounts/reauthenticate/" in asked["Location"]
    assert not AuditEvent.objects.filter(action=AuditAction.ID_NUMBER_REVEAL).exists()

    shown = reauthenticate(client, asked["Location"])  # allauth resumes the suspended POST
    assert shown.status_code == 200
    assert number in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    event = AuditEvent.objects.get(action=AuditAction.ID_NUMBER_REVEAL)
    assert event.actor == hr_meixian
    assert event.subject_user_id == profile.user_id
    assert event.object_id == str(profile.pk)
    assert number not in str(event.detail)

    # Within the re-authentication window a second reveal needs no password, and is audited.
    again = client.post(reveal_url(profile))
    assert again.status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.ID_NUMBER_REVEAL).count() == 2


def test_get_is_not_allowed(client, hr_meixian, profile):
    client.force_login(hr_meixian)
    assert client.get(reveal_url(profile)).status_code == 405


def test_anonymous_is_sent_to_sign_in(client, profile):
    response = client.post(reveal_url(profile))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_hr_of_another_county_gets_404_even_after_reauthentication(client, hr_tianhe, profile):
    client.force_login(hr_tianhe)
    assert client.post(reveal_url(profile)).status_code == 404
    reauthenticate(client)
    assert client.post(reveal_url(profile)).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.ID_NUMBER_REVEAL).exists()


def test_the_graduate_and_other_graduates_cannot_use_the_reveal(client, graduate, profile):
    for user in (graduate, make_graduate()):
        client.force_login(user)
        assert client.post(reveal_url(profile)).status_code == 404


def test_hr_pages_show_only_the_masked_number(client, graduate, profile):
    client.force_login(graduate)
    page = client.get(reverse("jobs:profile")).content.decode()
    assert profile.id_number_masked in page
    assert personal_decrypt(profile.id_number_encrypted) not in page
