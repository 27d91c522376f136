"""HR pages and API of match runs, in scope only; the applicant's explanation endpoint."""

import json

from django.test import Client
from django.urls import reverse
from django.utils import translation

import pytest

from accounts.services import api_token_create
from jobs.choices import MatchRunKind, MatchRunStatus
from jobs.models import MatchRun, Offer
from jobs.services.matching import match_run_approve

from .conftest import apply, run_now


@pytest.fixture
def scenario(round_, posts):
    p1, p2, p3, _p4 = posts
    return {
        "y": apply(round_, [p1, p2], written=82.5, interview=82.5),
        "x": apply(round_, [p1, p2], written=80.1, interview=80.1),
        "z": apply(round_, [p2], written=70, interview=70),
    }


def api_client(user):
    _token, raw = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")


def post_json(client, path, data=None):
    return client.post(path, json.dumps(data or {}), content_type="application/json")


def test_runs_page_starts_a_run(
    client, round_, posts, hr, scenario, django_capture_on_commit_callbacks
):
    client.force_login(hr)
    url = reverse("jobs:hr_match_runs", args=[round_.pk])
    page = client.get(url)
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"kind": "match", "seed": "42"})
    run = MatchRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:hr_match_run", args=[run.pk])
    assert run.seed == 42 and run.status == MatchRunStatus.SUCCEEDED

    detail = client.get(reverse("jobs:hr_match_run", args=[run.pk]))
    assert detail.status_code == 200
    body = detail.content.decode()
    assert "82.5" in body  # a cut-off
    assert reverse("jobs:hr_match_run_approve", args=[run.pk]) in body

    status = client.get(reverse("jobs:hr_match_run_status", args=[run.pk])).json()
    assert status["status"] == "succeeded" and status["progress"] == 100 and status["finished"]


def test_runs_page_shows_errors_of_refused_starts(client, round_, posts, hr):
    client.force_login(hr)
    with translation.override("en"):
        url = reverse("jobs:hr_match_runs", args=[round_.pk])
    response = client.post(url, {"kind": "match", "bonus_home_village": "9"})
    assert response.status_code == 200
    assert not MatchRun.objects.exists()
    assert "simulations only" in response.content.decode()
    response = client.post(url, {"kind": "simulation", "extra_bonuses": "{not json"})
    assert response.status_code == 200 and not MatchRun.objects.exists()


def test_approve_page_needs_confirmation(
    client, round_, posts, hr, scenario, django_capture_on_commit_callbacks
):
    run = run_now(django_capture_on_commit_callbacks, rounds=[round_], actor=hr)
    client.force_login(hr)
    with translation.override("en"):
        url = reverse("jobs:hr_match_run_approve", args=[run.pk])
    assert client.get(url).status_code == 405
    client.post(url)
    assert not Offer.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"confirm": "yes"})
    run.refresh_from_db()
    assert run.status == MatchRunStatus.APPROVED and Offer.objects.count() == 2
    response = client.post(url, {"confirm": "yes"}, follow=True)
    assert "already been approved" in response.content.decode()


def test_compare_page(client, round_, posts, hr, scenario, django_capture_on_commit_callbacks):
    a = run_now(django_capture_on_commit_callbacks, rounds=[round_], actor=hr, seed=1)
    b = run_now(
        django_capture_on_commit_callbacks,
        rounds=[round_],
        actor=hr,
        kind=MatchRunKind.SIMULATION,
        parameters={"weight_written": "100", "weight_interview": "0"},
        seed=1,
    )
    client.force_login(hr)
    response = client.get(reverse("jobs:hr_match_compare") + f"?a={a.pk}&b={b.pk}")
    assert response.status_code == 200
    assert "梅县区" in response.content.decode()
    assert client.get(reverse("jobs:hr_match_compare") + "?a=x").status_code == 404


def test_restart_page(
    client, round_, posts, hr, scenario, monkeypatch, django_capture_on_commit_callbacks
):
    from jobs.services.matching import participants

    monkeypatch.setattr(participants, "stable_match", lambda *a, **k: 1 / 0)
    run = run_now(django_capture_on_commit_callbacks, rounds=[round_], actor=hr)
    monkeypatch.undo()
    client.force_login(hr)
    page = client.get(reverse("jobs:hr_match_run", args=[run.pk])).content.decode()
    assert reverse("jobs:hr_match_run_restart", args=[run.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("jobs:hr_match_run_restart", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == MatchRunStatus.SUCCEEDED


def test_out_of_scope_and_non_hr_get_404(
    client, round_, posts, hr, hr_tianhe, scenario, django_capture_on_commit_callbacks
):
    run = run_now(django_capture_on_commit_callbacks, rounds=[round_], actor=hr)
    urls = [
        reverse("jobs:hr_match_runs", args=[round_.pk]),
        reverse("jobs:hr_match_run", args=[run.pk]),
        reverse("jobs:hr_match_run_status", args=[run.pk]),
        reverse("jobs:hr_match_compare") + f"?a={run.pk}&b={run.pk}",
    ]
    for user in (hr_tianhe, scenario["x"].applicant):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert (
            client.post(
                reverse("jobs:hr_match_run_approve", args=[run.pk]), {"confirm": "yes"}
            ).status_code
            == 404
        )
        assert client.post(reverse("jobs:hr_match_run_restart", args=[run.pk])).status_code == 404
    assert not Offer.objects.exists()
    client.logout()
    assert client.get(urls[0]).status_code == 302  # to sign in


def test_api_start_status_approve(round_, posts, hr, scenario, django_capture_on_commit_callbacks):
    api = api_client(hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(
            api,
            f"/api/v1/hr/rounds/{round_.pk}/match-runs",
            {"kind": "match", "seed": 5, "status": "approved"},
        )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["kind"] == "match" and data["seed"] == 5 and data["round_ids"] == [round_.pk]
    run_id = data["id"]
    detail = api.get(f"/api/v1/hr/match-runs/{run_id}").json()
    assert detail["status"] == "succeeded" and detail["progress"] == 100
    assert detail["statistics"]["placed"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        approved = post_json(api, f"/api/v1/hr/match-runs/{run_id}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    again = post_json(api, f"/api/v1/hr/match-runs/{run_id}/approve")
    assert again.status_code == 409 and again.json()["code"] == "already_approved"


def test_api_refusals(round_, posts, hr, hr_tianhe, scenario, django_capture_on_commit_callbacks):
    api = api_client(hr)
    bad = post_json(
        api,
        f"/api/v1/hr/rounds/{round_.pk}/match-runs",
        {"kind": "simulation", "parameters": {"bonus_home_village": "x"}},
    )
    assert bad.status_code == 422 and bad.json()["code"] == "bad_parameters"
    post_json(api, f"/api/v1/hr/rounds/{round_.pk}/match-runs", {"kind": "simulation"})
    locked = post_json(api, f"/api/v1/hr/rounds/{round_.pk}/match-runs", {"kind": "simulation"})
    assert locked.status_code == 409 and locked.json()["code"] == "locked"
    run_id = MatchRun.objects.get().pk
    other = api_client(hr_tianhe)
    assert post_json(other, f"/api/v1/hr/rounds/{round_.pk}/match-runs").status_code == 404
    assert other.get(f"/api/v1/hr/match-runs/{run_id}").status_code == 404
    assert post_json(other, f"/api/v1/hr/match-runs/{run_id}/approve").status_code == 404
    graduate = api_client(scenario["x"].applicant)
    assert graduate.get(f"/api/v1/hr/match-runs/{run_id}").status_code == 403
    assert Client().get(f"/api/v1/hr/match-runs/{run_id}").status_code == 401


def test_api_explanation_own_application_only(
    round_, posts, hr, scenario, django_capture_on_commit_callbacks
):
    x = scenario["x"]
    mine = api_client(x.applicant)
    url = f"/api/v1/applications/{x.pk}/explanation"
    assert mine.get(url).status_code == 404  # nothing approved yet
    run = run_now(django_capture_on_commit_callbacks, rounds=[round_], actor=hr)
    with django_capture_on_commit_callbacks(execute=True):
        match_run_approve(run=run, actor=hr)
    data = mine.get(url).json()
    assert data["matched"] and data["matched_rank"] == 2
    assert "had a cut-off of 82.5 and your score there was 80.1" in data["summary"]
    assert data["choices"][0]["cutoff"] == "82.5" and data["choices"][0]["score"] == "80.1"
    someone_else = api_client(scenario["y"].applicant)
    assert someone_else.get(url).status_code == 404
    assert api_client(hr).get(url).status_code == 404


def test_round_page_links_to_its_match_runs(client, round_, hr):
    client.force_login(hr)
    page = client.get(reverse("jobs:hr_round_detail", args=[round_.pk]))
    assert page.status_code == 200
    assert reverse("jobs:hr_match_runs", args=[round_.pk]) in page.content.decode()


def test_approving_a_large_run_in_the_page_shows_progress(
    client, round_, posts, hr, scenario, monkeypatch, django_capture_on_commit_callbacks
):
    from jobs.services.matching import approval

    monkeypatch.setattr(approval, "APPROVE_INLINE_MAX", 0)
    run = run_now(django_capture_on_commit_callbacks, rounds=[round_], actor=hr)
    client.force_login(hr)
    with translation.override("en"):
        url = reverse("jobs:hr_match_run_approve", args=[run.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url, {"confirm": "yes"}, follow=True)
    assert response.status_code == 200
    assert "in the background" in response.content.decode()
    status = client.get(reverse("jobs:hr_match_run_status", args=[run.pk])).json()
    assert status["status"] == "approving" and not status["finished"]
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    status = client.get(reverse("jobs:hr_match_run_status", args=[run.pk])).json()
    assert status["status"] == "approved" and status["finished"]
    assert Offer.objects.filter(match_run=run).count() == 2
