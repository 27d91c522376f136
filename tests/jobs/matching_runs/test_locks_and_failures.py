"""Locks, failures, lost workers and restarts: never two runs of a round at once, never half
applied, always restartable."""

import datetime

from django.utils import timezone

import pytest

from jobs.choices import MatchRunKind, MatchRunStatus, RoundStage
from jobs.models import MatchResult, MatchRun, Offer, PostCutoff, RecruitmentRound
from jobs.services import matching as service
from jobs.services.matching import (
    ERROR_INTERNAL,
    ERROR_STALE,
    MatchRunError,
    match_run_execute,
    match_run_is_stale,
    match_run_restart,
    match_run_start,
)
from jobs.services.matching import participants as service_participants
from jobs.services.matching import runs as service_runs
from tests.jobs.builders import TIANHE, make_round

from .conftest import apply, run_now


@pytest.fixture
def applications(round_, posts):
    p1, p2, p3, _ = posts
    return [
        apply(round_, [p1, p2], written=82, interview=80),
        apply(round_, [p2, p3], written=75, interview=79),
    ]


def test_two_overlapping_runs_are_refused(round_, posts, hr, applications):
    # Started but not executed yet (no commit): the round stays locked.
    first = match_run_start(rounds=[round_], actor=hr, kind=MatchRunKind.SIMULATION)
    round_.refresh_from_db()
    assert round_.locked_by_run == first
    with pytest.raises(MatchRunError) as exc:
        match_run_start(rounds=[round_], actor=hr, kind=MatchRunKind.MATCH)
    assert exc.value.code == "locked"
    assert str(first.pk) in exc.value.message
    assert MatchRun.objects.count() == 1


def test_a_failing_run_is_failed_unlocked_and_applies_nothing(
    round_, posts, hr, applications, monkeypatch, django_capture_on_commit_callbacks
):
    def boom(*args, **kwargs):
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(service_participants, "stable_match", boom)
    run = run_now(django_capture_on_commit_callbacks, rounds=[round_], actor=hr)
    assert run.status == MatchRunStatus.FAILED
    assert run.error == ERROR_INTERNAL
    assert not MatchResult.objects.exists() and not PostCutoff.objects.exists()
    assert not Offer.objects.exists()
    round_.refresh_from_db()
    assert round_.locked_by_run is None


def test_a_failure_while_storing_rolls_back_every_result(
    round_, posts, hr, applications, monkeypatch, django_capture_on_commit_callbacks
):
    from jobs.services.matching import results as service_results

    real = service_results._write_results

    def fail_after_results(*args, **kwargs):
        real(*args, **kwargs)
        assert MatchResult.objects.exists()  # results were written in this transaction …
        assert PostCutoff.objects.exists()
        raise RuntimeError("disk full")

    monkeypatch.setattr(service_results, "_write_results", fail_after_results)
    run = run_now(django_capture_on_commit_callbacks, rounds=[round_], actor=hr)
    monkeypatch.undo()
    assert run.status == MatchRunStatus.FAILED
    assert not MatchResult.objects.exists()  # … and rolled back with it
    assert not PostCutoff.objects.exists()


def test_failed_run_restarts_and_succeeds(
    round_, posts, hr, applications, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(service_participants, "stable_match", lambda *a, **k: 1 / 0)
    run = run_now(django_capture_on_commit_callbacks, rounds=[round_], actor=hr, seed=11)
    assert run.status == MatchRunStatus.FAILED
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        match_run_restart(run=run, actor=hr)
    run.refresh_from_db()
    assert run.status == MatchRunStatus.SUCCEEDED and run.seed == 11 and run.error == ""
    assert MatchResult.objects.filter(run=run).count() == 2


def test_a_run_left_running_by_a_killed_worker_is_recoverable(
    round_, posts, hr, applications, django_capture_on_commit_callbacks
):
    """As after `kill -9` of the worker mid-run: RUNNING, round locked, nothing written."""
    run = match_run_start(rounds=[round_], actor=hr)  # not executed
    MatchRun.objects.filter(pk=run.pk).update(
        status=MatchRunStatus.RUNNING,
        progress=40,
        progress_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    run.refresh_from_db()
    assert not match_run_is_stale(run)
    # Not stale yet: a restart is refused (the worker may still be alive).
    with pytest.raises(MatchRunError) as exc:
        match_run_restart(run=run, actor=hr)
    assert exc.value.code == "not_restartable"
    # A second run is refused while it holds the lock.
    with pytest.raises(MatchRunError):
        match_run_start(rounds=[round_], actor=hr, kind=MatchRunKind.SIMULATION)

    MatchRun.objects.filter(pk=run.pk).update(
        progress_at=timezone.now() - service.STALE_AFTER - datetime.timedelta(seconds=1)
    )
    run.refresh_from_db()
    assert match_run_is_stale(run)
    assert not Offer.objects.exists() and not MatchResult.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        match_run_restart(run=run, actor=hr)
    run.refresh_from_db()
    assert run.status == MatchRunStatus.SUCCEEDED
    assert not Offer.objects.exists()  # nothing is offered before approval
    round_.refresh_from_db()
    assert round_.locked_by_run is None


def test_mark_failed_releases_the_lock(round_, posts, hr, applications):
    run = match_run_start(rounds=[round_], actor=hr)
    MatchRun.objects.filter(pk=run.pk).update(
        status=MatchRunStatus.RUNNING, progress_at=timezone.now() - datetime.timedelta(hours=1)
    )
    service.match_run_fail(run=run, error=ERROR_STALE)
    run.refresh_from_db()
    assert run.status == MatchRunStatus.FAILED
    assert not RecruitmentRound.objects.filter(locked_by_run__isnull=False).exists()


def test_a_redelivered_task_starts_the_run_over(
    round_, posts, hr, applications, django_capture_on_commit_callbacks
):
    """acks_late + reject_on_worker_lost: the task may arrive again for a RUNNING run."""
    run = match_run_start(rounds=[round_], actor=hr)
    MatchRun.objects.filter(pk=run.pk).update(status=MatchRunStatus.RUNNING, progress=70)
    run = match_run_execute(run_id=run.pk)
    assert run.status == MatchRunStatus.SUCCEEDED
    assert MatchResult.objects.filter(run=run).count() == 2
    # Delivered once more after it finished: nothing happens.
    again = match_run_execute(run_id=run.pk)
    assert again.status == MatchRunStatus.SUCCEEDED
    assert MatchResult.objects.filter(run=run).count() == 2


def test_a_run_marked_failed_while_working_writes_nothing(
    round_, posts, hr, applications, monkeypatch
):
    run = match_run_start(rounds=[round_], actor=hr)
    real = service_runs._load_and_match

    def then_stopped(run_, reporter):
        outcome = real(run_, reporter)
        service.match_run_fail(run=run_, error=ERROR_STALE)  # the officer gave up on it
        return outcome

    monkeypatch.setattr(service_runs, "_load_and_match", then_stopped)
    run = match_run_execute(run_id=run.pk)
    assert run.status == MatchRunStatus.FAILED
    assert not MatchResult.objects.exists()


def test_wrong_stage_and_mixed_years_are_refused(round_, posts, hr, regions):
    round_.stage = RoundStage.APPLICATIONS_OPEN
    round_.save()
    with pytest.raises(MatchRunError) as exc:
        match_run_start(rounds=[round_], actor=hr)
    assert exc.value.code == "wrong_stage"
    from accounts.choices import Role
    from tests.factories import user_with_role

    province = user_with_role(Role.HR_OFFICER, "440000")
    other = make_round(TIANHE, stage=RoundStage.MATCHING, year=2025)
    round_.stage = RoundStage.MATCHING
    round_.save()
    with pytest.raises(MatchRunError) as exc:
        match_run_start(rounds=[round_, other], actor=province)
    assert exc.value.code == "mixed_years"


def test_bad_seed_is_refused(round_, posts, hr):
    with pytest.raises(MatchRunError):
        match_run_start(rounds=[round_], actor=hr, seed=-3)


def test_out_of_scope_officer_gets_404(round_, posts, hr_tianhe):
    from django.http import Http404

    with pytest.raises(Http404):
        match_run_start(rounds=[round_], actor=hr_tianhe)
