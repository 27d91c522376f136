"""Approval makes offers and tells everyone; simulations are never approved; a backfill pass
keeps every accepted placement and pending offer and fills only what is left."""

from django.core import mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

import pytest

from jobs.choices import ApplicationStatus, MatchRunKind, MatchRunStatus, OfferStatus, RoundStage
from jobs.models import MatchResult, Offer
from jobs.selectors.matching import application_explanation
from jobs.services.matching import MatchRunError, match_run_approve, match_run_start
from jobs.services.offers import offer_accept, offer_decline

from .conftest import apply, run_now


@pytest.fixture
def scenario(round_, posts):
    p1, p2, p3, _p4 = posts
    return {
        "y": apply(round_, [p1, p2], written=82.5, interview=82.5),
        "x": apply(round_, [p1, p2], written=80.1, interview=80.1),
        "z": apply(round_, [p2], written=70, interview=70),
        "w": apply(round_, [p3, p1], written=60, interview=60),
    }


def approve(capture, run, actor):
    with capture(execute=True):
        return match_run_approve(run=run, actor=actor)


def test_approval_creates_offers_unmatched_and_emails(
    round_, posts, hr, scenario, django_capture_on_commit_callbacks
):
    run = run_now(django_capture_on_commit_callbacks, rounds=[round_], actor=hr, seed=1)
    mail.outbox.clear()
    scenario["z"].applicant.preferred_language = "en"
    scenario["z"].applicant.save()
    before = timezone.now()
    run = approve(django_capture_on_commit_callbacks, run, hr)
    assert run.status == MatchRunStatus.APPROVED and run.approved_by == hr

    offers = {o.application_id: o for o in Offer.objects.filter(match_run=run)}
    assert set(offers) == {scenario[k].pk for k in ("y", "x", "w")}
    for offer in offers.values():
        assert offer.status == OfferStatus.PENDING
        days = (offer.reply_deadline - before).total_seconds() / 86400
        assert round_.offer_reply_days - 0.01 < days < round_.offer_reply_days + 0.01
    for key in ("y", "x", "w"):
        scenario[key].refresh_from_db()
        assert scenario[key].status == ApplicationStatus.OFFERED
    scenario["z"].refresh_from_db()
    assert scenario["z"].status == ApplicationStatus.UNMATCHED

    # Everyone hears their result, in their language.
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == sorted(scenario[k].applicant.email for k in scenario)
    z_mail = next(m for m in mail.outbox if m.to == [scenario["z"].applicant.email])
    assert "Not matched" in z_mail.subject or "Not matched" in z_mail.body


def test_explanation_shown_after_approval(
    round_, posts, hr, scenario, django_capture_on_commit_callbacks
):
    run = run_now(django_capture_on_commit_callbacks, rounds=[round_], actor=hr, seed=1)
    approve(django_capture_on_commit_callbacks, run, hr)
    with translation.override("en"):
        explanation = application_explanation(scenario["x"])
        html = render_to_string("jobs/matching/_explanation.html", {"application": scenario["x"]})
    assert explanation.matched and explanation.matched_rank == 2
    assert "had a cut-off of 82.5 and your score there was 80.1" in html
    with translation.override("en"):
        z = application_explanation(scenario["z"])
    assert not z.matched
    assert "cut-off 80.1, your score 70" in z.choices[0].text


def test_approving_twice_is_refused(
    round_, posts, hr, scenario, django_capture_on_commit_callbacks
):
    run = run_now(django_capture_on_commit_callbacks, rounds=[round_], actor=hr)
    approve(django_capture_on_commit_callbacks, run, hr)
    with pytest.raises(MatchRunError) as exc:
        approve(django_capture_on_commit_callbacks, run, hr)
    assert exc.value.code == "already_approved"
    assert Offer.objects.count() == 3


def test_a_second_match_after_approval_is_refused(
    round_, posts, hr, scenario, django_capture_on_commit_callbacks
):
    run = run_now(django_capture_on_commit_callbacks, rounds=[round_], actor=hr)
    approve(django_capture_on_commit_callbacks, run, hr)
    with pytest.raises(MatchRunError) as exc:
        match_run_start(rounds=[round_], actor=hr, kind=MatchRunKind.MATCH)
    assert exc.value.code == "already_matched"


def test_simulation_cannot_be_approved(
    round_, posts, hr, scenario, django_capture_on_commit_callbacks
):
    run = run_now(
        django_capture_on_commit_callbacks,
        rounds=[round_],
        actor=hr,
        kind=MatchRunKind.SIMULATION,
        parameters={"bonus_home_village": "20"},
    )
    assert run.status == MatchRunStatus.SUCCEEDED
    with pytest.raises(MatchRunError) as exc:
        approve(django_capture_on_commit_callbacks, run, hr)
    assert exc.value.code == "simulation"
    assert not Offer.objects.exists()
    for app in scenario.values():
        app.refresh_from_db()
        assert app.status == ApplicationStatus.SCORED


def test_simulation_with_other_bonuses_changes_the_outcome(
    round_, posts, villages, hr, django_capture_on_commit_callbacks
):
    p1 = posts[0]
    local = apply(round_, [p1], written=78, interview=78, hometown=villages[0])  # +5 village
    outsider = apply(round_, [p1], written=81, interview=81)
    real = run_now(django_capture_on_commit_callbacks, rounds=[round_], actor=hr, seed=2)
    assert MatchResult.objects.get(run=real, application=local).post_id == p1.pk
    sim = run_now(
        django_capture_on_commit_callbacks,
        rounds=[round_],
        actor=hr,
        seed=2,
        kind=MatchRunKind.SIMULATION,
        parameters={
            "bonus_home_village": "0",
            "bonus_home_township": "0",
            "bonus_home_county": "0",
        },
    )
    assert MatchResult.objects.get(run=sim, application=outsider).post_id == p1.pk
    assert sim.statistics["policy"][str(round_.pk)]["bonus_home_village"] == "0"
    assert real.statistics["home_county_share"] == 1.0
    assert sim.statistics["home_county_share"] == 0.0


def test_overrides_are_for_simulations_only(round_, posts, hr):
    with pytest.raises(MatchRunError) as exc:
        match_run_start(
            rounds=[round_], actor=hr, kind=MatchRunKind.MATCH, parameters={"bonus_home_village": 9}
        )
    assert exc.value.code == "bad_parameters"


def test_approval_refused_when_an_application_changed_since_the_run(
    round_, posts, hr, scenario, django_capture_on_commit_callbacks
):
    from jobs.services.status import application_transition

    run = run_now(django_capture_on_commit_callbacks, rounds=[round_], actor=hr)
    application_transition(
        application=scenario["w"], to_status=ApplicationStatus.WITHDRAWN, notify=False
    )
    with pytest.raises(MatchRunError) as exc:
        approve(django_capture_on_commit_callbacks, run, hr)
    assert exc.value.code == "outdated"
    assert not Offer.objects.exists()


def test_backfill_keeps_offers_and_fills_what_is_left(
    round_, posts, hr, villages, django_capture_on_commit_callbacks
):
    p1, p2, p3, p4 = posts
    a = apply(round_, [p1, p2], written=90, interview=90)
    b = apply(round_, [p2, p1], written=85, interview=85)
    c = apply(round_, [p3], written=80, interview=80)
    d = apply(round_, [p1, p2, p3], written=75, interview=75)  # unmatched in the first pass
    e = apply(round_, [p3, p1], written=70, interview=70)  # unmatched in the first pass
    first = run_now(django_capture_on_commit_callbacks, rounds=[round_], actor=hr, seed=5)
    approve(django_capture_on_commit_callbacks, first, hr)
    offers = {o.application_id: o for o in Offer.objects.all()}
    assert set(offers) == {a.pk, b.pk, c.pk}

    round_.stage = RoundStage.OFFERS
    round_.save()
    with django_capture_on_commit_callbacks(execute=True):
        offer_accept(offer=offers[a.pk], user=a.applicant)  # keeps p1
        offer_decline(offer=offers[c.pk], user=c.applicant)  # p3 re-opens; c is out
    # b's offer of p2 stays pending: never taken away.

    backfill = run_now(
        django_capture_on_commit_callbacks, rounds=[round_], actor=hr, kind=MatchRunKind.BACKFILL
    )
    assert backfill.status == MatchRunStatus.SUCCEEDED, backfill.error
    results = {r.application_id: r.post_id for r in MatchResult.objects.filter(run=backfill)}
    # Only the unmatched take part: the holders of offers and the decliner are out.
    assert set(results) == {d.pk, e.pk}
    assert results[d.pk] == p3.pk  # p1 and p2 are held; p3 is free again
    assert results[e.pk] is None
    assert backfill.statistics["held_seats"] == 2
    assert backfill.statistics["seats"] == 2  # p3 and p4 (p4 listed by nobody)

    approve(django_capture_on_commit_callbacks, backfill, hr)
    offers_now = Offer.objects.filter(status__in=[OfferStatus.PENDING, OfferStatus.ACCEPTED])
    assert sorted(offers_now.values_list("application_id", flat=True)) == sorted([a.pk, b.pk, d.pk])
    assert Offer.objects.get(application=b).match_run == first
    e.refresh_from_db()
    assert e.status == ApplicationStatus.UNMATCHED
    assert p4.pk not in offers_now.values_list("post_id", flat=True)


def test_backfill_needs_an_approved_match(round_, posts, hr):
    with pytest.raises(MatchRunError) as exc:
        match_run_start(rounds=[round_], actor=hr, kind=MatchRunKind.BACKFILL)
    assert exc.value.code == "no_approved_match"
