"""The applications API: apply, read own, re-rank, withdraw, answer offers; 404 for others'
applications and offers; fields a client may not set are ignored."""

import json

from django.test import Client

import pytest

from accounts.services import api_token_create
from jobs.choices import ApplicationStatus, OfferStatus
from jobs.models import Application
from tests.jobs.builders import make_graduate

from .helpers import offered, submit


def api_client(user):
    _token, raw = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")


def post_json(client, path, data=None, method="post"):
    return getattr(client, method)(path, json.dumps(data or {}), content_type="application/json")


@pytest.fixture
def api(graduate):
    return api_client(graduate)


def test_apply_and_read_back(api, graduate, round_, posts):
    stranger = make_graduate()
    response = post_json(
        api,
        "/api/v1/applications",
        {
            "round": round_.pk,
            "preferences": [posts[3].pk, posts[1].pk],
            "status": "accepted",
            "user": stranger.pk,
            "applicant": stranger.pk,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted"
    assert [p["post_id"] for p in body["preferences"]] == [posts[3].pk, posts[1].pk]
    application = Application.objects.get()
    assert (application.applicant, application.status) == (graduate, ApplicationStatus.SUBMITTED)
    again = api.get(f"/api/v1/applications/{application.pk}").json()
    assert again["id"] == application.pk and again["events"][0]["to_status"] == "submitted"
    assert again["next_step"]["label"]
    listed = api.get("/api/v1/me/applications").json()
    assert [a["id"] for a in listed] == [application.pk]


def test_errors_name_the_field(api, round_, posts):
    response = post_json(
        api, "/api/v1/applications", {"round": round_.pk, "preferences": [posts[0].pk] * 2}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "preferences", "message": "Each post may be ranked only once."}
    ]
    response = post_json(
        api,
        "/api/v1/applications",
        {"round": round_.pk, "preferences": [p.pk for p in posts[:6]]},
    )
    assert response.json()["errors"][0]["field"] == "preferences"
    response = post_json(api, "/api/v1/applications", {"round": 999999, "preferences": [1]})
    assert response.json()["errors"] == [
        {"field": "round", "message": "There is no such recruitment round."}
    ]
    response = post_json(api, "/api/v1/applications", {"preferences": "x"})
    assert response.status_code == 422
    assert not Application.objects.exists()


def test_double_submission(api, round_, posts):
    first = post_json(
        api, "/api/v1/applications", {"round": round_.pk, "preferences": [posts[0].pk]}
    )
    second = post_json(
        api, "/api/v1/applications", {"round": round_.pk, "preferences": [posts[1].pk]}
    )
    assert (first.status_code, second.status_code) == (201, 422)
    assert second.json()["errors"][0]["field"] == "round"
    assert "already applied" in second.json()["errors"][0]["message"]
    assert Application.objects.get().preferences.get().post == posts[0]


def test_requires_authentication(client, round_, posts):
    response = post_json(
        client, "/api/v1/applications", {"round": round_.pk, "preferences": [posts[0].pk]}
    )
    assert response.status_code == 401


def test_others_applications_and_offers_are_404(graduate, round_, posts):
    offer = offered(graduate, round_, posts[:2])
    other = api_client(make_graduate())
    assert other.get(f"/api/v1/applications/{offer.application_id}").status_code == 404
    assert (
        post_json(other, f"/api/v1/applications/{offer.application_id}/withdraw").status_code == 404
    )
    assert post_json(other, f"/api/v1/offers/{offer.pk}/accept").status_code == 404
    assert post_json(other, f"/api/v1/offers/{offer.pk}/decline").status_code == 404
    assert other.get("/api/v1/applications/999999").json()["code"] == "not_found"
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING


def test_rerank_and_withdraw(api, graduate, round_, posts):
    application = submit(graduate, round_, posts[:2])
    response = post_json(
        api,
        f"/api/v1/applications/{application.pk}/preferences",
        {"preferences": [posts[4].pk], "status": "eligible"},
        method="put",
    )
    assert response.status_code == 200
    assert [p["post_id"] for p in response.json()["preferences"]] == [posts[4].pk]
    assert response.json()["status"] == "submitted"
    response = post_json(
        api, f"/api/v1/applications/{application.pk}/withdraw", {"reason": "另有安排"}
    )
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    response = post_json(api, f"/api/v1/applications/{application.pk}/withdraw")
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "You have already withdrawn this application."


def test_offer_accept_twice_and_decline(api, graduate, round_, posts):
    offer = offered(graduate, round_, posts[:2])
    first = post_json(api, f"/api/v1/offers/{offer.pk}/accept")
    assert first.status_code == 200, first.content
    assert first.json()["village_name"] == posts[0].village.name
    second = post_json(api, f"/api/v1/offers/{offer.pk}/accept")
    assert second.status_code == 422
    assert second.json()["errors"][0]["message"] == "You have already accepted this offer."
    assert api.get(f"/api/v1/applications/{offer.application_id}").json()["status"] == "accepted"


def test_offer_decline_and_after_deadline(graduate, round_, posts):
    api = api_client(graduate)
    offer = offered(graduate, round_, posts[:1])
    response = post_json(api, f"/api/v1/offers/{offer.pk}/decline")
    assert response.status_code == 200 and response.json()["status"] == "declined"
    late_user = make_graduate()
    late = offered(late_user, round_, posts[1:2], deadline_in_days=-0.01)
    response = post_json(api_client(late_user), f"/api/v1/offers/{late.pk}/accept")
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"].startswith("This offer expired on")
    late.refresh_from_db()
    assert late.status == OfferStatus.EXPIRED


def test_endpoints_are_in_the_openapi_schema(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/applications",
        "/api/v1/applications/{application_id}",
        "/api/v1/applications/{application_id}/withdraw",
        "/api/v1/offers/{offer_id}/accept",
        "/api/v1/offers/{offer_id}/decline",
    ):
        assert path in paths
