"""A small run end to end: results, cut-offs, statistics, explanations (zh and en)."""

from decimal import Decimal

from django.utils import translation

import pytest

from jobs.choices import MatchRunKind, MatchRunStatus
from jobs.models import MatchResult, PostCutoff, RecruitmentRound
from jobs.selectors.matching import application_explanation, explanation_build

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


def test_run_results_cutoffs_statistics(
    round_, posts, hr, scenario, django_capture_on_commit_callbacks
):
    run = run_now(django_capture_on_commit_callbacks, rounds=[round_], actor=hr, seed=7)
    assert run.status == MatchRunStatus.SUCCEEDED, run.error
    assert run.progress == 100
    assert len(run.input_hash) == 64
    round_.refresh_from_db()
    assert round_.locked_by_run is None

    p1, p2, p3, p4 = posts
    got = {
        r.application_id: (r.post_id, r.matched_rank) for r in MatchResult.objects.filter(run=run)
    }
    assert got[scenario["y"].pk] == (p1.pk, 1)
    assert got[scenario["x"].pk] == (p2.pk, 2)
    assert got[scenario["z"].pk] == (None, None)
    assert got[scenario["w"].pk] == (p3.pk, 1)

    cutoffs = {c.post_id: c for c in PostCutoff.objects.filter(run=run)}
    assert cutoffs[p1.pk].cutoff == Decimal("82.5")
    assert cutoffs[p2.pk].cutoff == Decimal("80.1")
    assert cutoffs[p4.pk].cutoff is None and cutoffs[p4.pk].filled == 0

    stats = run.statistics
    assert stats["applicants"] == 4
    assert stats["placed"] == 3
    assert stats["seats"] == 4
    assert stats["first_choice"] == 2
    assert stats["first_choice_rate"] == 0.5
    assert stats["posts_empty"] == 1
    assert stats["home_county_share"] == 0.0  # all from 天河区
    county = next(c for c in stats["by_county"] if c["code"] == "441403")
    assert county["seats"] == 4 and county["filled"] == 3 and county["posts_empty"] == 1
    assert sum(t["posts"] for t in stats["by_township"]) == 4


def test_same_input_same_seed_same_result(
    round_, posts, hr, scenario, django_capture_on_commit_callbacks
):
    first = run_now(
        django_capture_on_commit_callbacks,
        rounds=[round_],
        actor=hr,
        seed=3,
        kind=MatchRunKind.SIMULATION,
    )
    second = run_now(
        django_capture_on_commit_callbacks,
        rounds=[round_],
        actor=hr,
        seed=3,
        kind=MatchRunKind.SIMULATION,
    )
    assert first.input_hash == second.input_hash
    a = sorted(MatchResult.objects.filter(run=first).values_list("application", "post", "lottery"))
    b = sorted(MatchResult.objects.filter(run=second).values_list("application", "post", "lottery"))
    assert a == b


def test_explanations_in_chinese_and_english(
    round_, posts, hr, scenario, django_capture_on_commit_callbacks
):
    run = run_now(django_capture_on_commit_callbacks, rounds=[round_], actor=hr, seed=7)
    # Only approved runs explain results to applicants.
    assert application_explanation(scenario["x"]) is None
    result = MatchResult.objects.get(run=run, application=scenario["x"])
    p1, p2 = posts[0], posts[1]
    with translation.override("en"):
        text = explanation_build(result).summary
    assert text == (
        f"Matched to your choice no. 2, {p2.village.parent.name} · {p2.village.name}; your "
        f"choice no. 1, {p1.village.parent.name} · {p1.village.name}, had a cut-off of 82.5 "
        "and your score there was 80.1."
    )
    with translation.override("zh-hans"):
        zh = explanation_build(result).summary
    assert "第2志愿" in zh and "82.5" in zh and "80.1" in zh

    unmatched = explanation_build(MatchResult.objects.get(run=run, application=scenario["z"]))
    assert not unmatched.matched
    with translation.override("en"):
        line = (
            explanation_build(MatchResult.objects.get(run=run, application=scenario["z"]))
            .choices[0]
            .text
        )
    assert "cut-off 80.1" in line and "your score 70" in line


def test_run_locks_nothing_after_it_finishes(
    round_, posts, hr, scenario, django_capture_on_commit_callbacks
):
    run_now(django_capture_on_commit_callbacks, rounds=[round_], actor=hr)
    assert RecruitmentRound.objects.filter(locked_by_run__isnull=False).count() == 0
