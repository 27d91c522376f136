"""GET|PUT /api/v1/me/graduate-profile."""

import pytest

from accounts.choices import Role
from accounts.services import api_token_create
from jobs.crypto import personal_decrypt
from jobs.models import ConsentRecord, GraduateProfile, University
from tests.factories import user_with_role
from tests.jobs.builders import make_graduate, make_id_number

URL = "/api/v1/me/graduate-profile"


def bearer(user) -> dict:
    _token, plaintext = api_token_create(user=user, name="app")
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


@pytest.fixture
def body(village):
    return {
        "real_name": "张三",
        "id_number": make_id_number(village.code[:6]),
        "phone": "+86 139-0013-9000",
        "hometown_code": village.code,
        "university_id": University.objects.get(name="嘉应学院").pk,
        "education_level": "bachelor",
        "full_time": True,
        "major_code": "080901",
        "graduation_year": 2025,
        "political_status": "none",
        "dialects": ["hakka", "cantonese"],
        "privacy_notice_acknowledged": True,
        "sensitive_consent": True,
    }


def put(client, body, **headers):
    return client.put(URL, body, content_type="application/json", **headers)


def test_get_shows_the_masked_number_only(client, regions):
    user = make_graduate()
    profile = user.graduate_profile
    response = client.get(URL, **bearer(user))
    assert response.status_code == 200
    data = response.json()
    assert data["id_number_masked"] == profile.id_number_masked
    assert personal_decrypt(profile.id_number_encrypted) not in response.content.decode()
    assert "id_number" not in data
    assert data["hometown_code"] == profile.hometown.code
    assert data["major_code"] == "080901"
    assert data["consents_needed"] == ["privacy_notice", "sensitive_id_number"]


def test_get_without_a_profile_is_404_and_anonymous_is_401(client, graduate_user):
    assert client.get(URL).status_code == 401
    response = client.get(URL, **bearer(graduate_user))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_put_creates_then_updates(client, graduate_user, body):
    created = put(client, body, **bearer(graduate_user))
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["phone"] == "13900139000"
    assert data["id_number_masked"] == body["id_number"][:6] + "********" + body["id_number"][14:]
    assert data["dialects"] == ["cantonese", "hakka"]
    assert data["consents_needed"] == []
    assert ConsentRecord.objects.filter(user=graduate_user).count() == 2

    updated = put(
        client,
        {**body, "id_number": "", "phone": "13700137000", "sensitive_consent": False},
        **bearer(graduate_user),
    )
    assert updated.status_code == 200
    assert updated.json()["phone"] == "13700137000"


def test_put_with_the_browser_session(client, graduate_user, body):
    client.force_login(graduate_user)
    assert put(client, body).status_code == 201


def test_put_errors_name_the_fields(client, graduate_user, body):
    response = put(
        client,
        {
            **body,
            "id_number": "441403202302309231",
            "phone": "1234",
            "hometown_code": "441403001",
            "major_code": "000000",
            "sensitive_consent": False,
        },
        **bearer(graduate_user),
    )
    assert response.status_code == 422
    data = response.json()
    assert data["code"] == "validation_error"
    fields = {e["field"] for e in data["errors"]}
    assert {"id_number", "phone", "hometown_code", "major_code", "sensitive_consent"} <= fields
    assert all(e["message"] for e in data["errors"])
    assert not GraduateProfile.objects.exists()


def test_put_with_a_wrongly_typed_body_is_422(client, graduate_user, body):
    response = put(client, {**body, "graduation_year": "soon"}, **bearer(graduate_user))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "graduation_year"


def test_put_ignores_fields_the_client_may_not_set(client, graduate_user, body, regions):
    other = user_with_role(Role.GRADUATE)
    response = put(
        client,
        {
            **body,
            "user": other.pk,
            "user_id": other.pk,
            "gender": "female",
            "id_number_masked": "x",
        },
        **bearer(graduate_user),
    )
    assert response.status_code == 201
    profile = GraduateProfile.objects.get()
    assert profile.user == graduate_user
    assert profile.id_number_masked != "x"


def test_put_with_someone_elses_id_number_is_422(client, graduate_user, body):
    put(client, body, **bearer(user_with_role(Role.GRADUATE)))
    response = put(client, body, **bearer(graduate_user))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "id_number"
