"""Starting, locking, executing, failing and restarting match runs."""

from __future__ import annotations

import gc
import logging
import secrets
from collections.abc import Iterable

from django.db import close_old_connections, connection, transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ...choices import (
    MatchRunKind,
    MatchRunStatus,
)
from ...models import (
    MatchRun,
    RecruitmentRound,
)
from .common import (
    ERROR_INTERNAL,
    ERROR_STALE,
    KIND_STAGES,
    P_LOADING,
    P_QUEUED,
    STALE_AFTER,
    MatchRunError,
    _approved_runs,
    _audit_rounds,
    _begin,
    _in_scope_all,
    _lock_rounds,
    _unlock,
)
from .participants import _load_and_match
from .priorities import parameters_clean
from .progress import ProgressReporter
from .results import _store

logger = logging.getLogger(__name__)


# --- starting and locking ----------------------------------------------------------------------


def match_run_start(
    *,
    rounds: Iterable[RecruitmentRound],
    actor,
    kind: str = MatchRunKind.MATCH,
    parameters: dict | None = None,
    seed: int | None = None,
    request=None,
) -> MatchRun:
    """Lock the rounds and queue a run. Raises Http404 for a round outside the actor's scope
    and MatchRunError (with a message for the officer) for anything refused."""
    rounds = list({r.pk: r for r in rounds}.values())
    if not rounds:
        raise MatchRunError(_("Choose at least one round."), code="no_rounds")
    if kind not in MatchRunKind.values:
        raise MatchRunError(_("Unknown kind of run."), code="bad_kind")
    if not _in_scope_all(actor, rounds):
        raise Http404
    if len({r.year for r in rounds}) > 1:
        raise MatchRunError(_("A joint match takes rounds of one year only."), code="mixed_years")
    for r in rounds:
        if r.stage not in KIND_STAGES[kind]:
            raise MatchRunError(
                _("%(round)s is at the stage “%(stage)s”; a %(kind)s cannot start there.")
                % {
                    "round": r.name,
                    "stage": r.get_stage_display(),
                    "kind": MatchRunKind(kind).label.lower(),
                },
                code="wrong_stage",
            )
    cleaned = parameters_clean(parameters)
    if cleaned and kind != MatchRunKind.SIMULATION:
        raise MatchRunError(
            _(
                "Bonus and weight overrides are for simulations only; a match or backfill uses "
                "the round's own policy."
            ),
            code="bad_parameters",
        )
    round_ids = [r.pk for r in rounds]
    if kind == MatchRunKind.MATCH and _approved_runs(round_ids).exists():
        raise MatchRunError(
            _("This round already has an approved match; use a backfill pass for free places."),
            code="already_matched",
        )
    if kind == MatchRunKind.BACKFILL and not all(
        _approved_runs([rid]).exists() for rid in round_ids
    ):
        raise MatchRunError(
            _("A backfill pass comes after an approved match."), code="no_approved_match"
        )
    if seed is None:
        seed = secrets.randbelow(2**31)
    elif not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**63:
        raise MatchRunError(_("The seed must be a whole number ≥ 0."), code="bad_seed")

    with transaction.atomic():
        locked = list(
            RecruitmentRound.objects.select_for_update().filter(pk__in=round_ids).order_by("pk")
        )
        for r in locked:
            if r.locked_by_run_id:
                raise MatchRunError(
                    _(
                        "%(round)s is locked by match run #%(run)s, which has not finished. "
                        "Wait for it, or restart it if it has stopped."
                    )
                    % {"round": r.name, "run": r.locked_by_run_id},
                    code="locked",
                )
        now = timezone.now()
        run = MatchRun.objects.create(
            kind=kind,
            seed=seed,
            parameters=cleaned,
            started_by=actor,
            progress_message=P_QUEUED,
            progress_at=now,
            created_at=now,
        )
        run.rounds.set(locked)
        _lock_rounds(
            run=run,
            rounds=locked,
            actor=actor,
            request=request,
            detail={"match_run": run.pk, "event": "started", "kind": kind, "seed": seed},
        )
        _enqueue(run)
    return run


def _enqueue(run: MatchRun) -> None:
    from ...tasks import match_run

    transaction.on_commit(lambda: match_run.delay(run.pk))


def match_run_fail(*, run: MatchRun, error: str = ERROR_INTERNAL) -> MatchRun:
    """Mark a run FAILED (nothing applied) and release its rounds."""
    with transaction.atomic():
        MatchRun.objects.filter(pk=run.pk).exclude(
            status__in=[MatchRunStatus.SUCCEEDED, MatchRunStatus.APPROVED]
        ).update(status=MatchRunStatus.FAILED, error=error, finished_at=timezone.now())
        _unlock(run)
    run.refresh_from_db()
    return run


def match_run_is_stale(run: MatchRun, *, now=None) -> bool:
    if run.status not in (MatchRunStatus.QUEUED, MatchRunStatus.RUNNING, MatchRunStatus.APPROVING):
        return False
    last = run.progress_at or run.started_at or run.created_at
    return (now or timezone.now()) - last > STALE_AFTER


def match_run_restart(*, run: MatchRun, actor, request=None) -> MatchRun:
    """Run a FAILED run again (same rounds, kind, seed, parameters), or first mark a stale one
    (a lost worker) failed. Nothing of a failed run was applied, so it simply starts over."""
    if not _in_scope_all(actor, run.rounds.all()):
        raise Http404
    if run.status == MatchRunStatus.APPROVING:
        return _approval_restart(run=run, actor=actor, request=request)
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().get(pk=run.pk)
        if match_run_is_stale(run):
            run.status = MatchRunStatus.FAILED
            run.error = ERROR_STALE
        if run.status != MatchRunStatus.FAILED:
            raise MatchRunError(
                _(
                    "Only a failed run, or one that has stopped reporting progress, can be restarted."
                ),
                code="not_restartable",
            )
        locked = list(
            RecruitmentRound.objects.select_for_update()
            .filter(pk__in=run.rounds.values("pk"))
            .order_by("pk")
        )
        for r in locked:
            if r.locked_by_run_id and r.locked_by_run_id != run.pk:
                raise MatchRunError(
                    _("%(round)s is locked by match run #%(run)s, which has not finished.")
                    % {"round": r.name, "run": r.locked_by_run_id},
                    code="locked",
                )
        now = timezone.now()
        run.status = MatchRunStatus.QUEUED
        run.error = ""
        run.progress = 0
        run.progress_message = P_QUEUED
        run.progress_at = now
        run.started_at = None
        run.finished_at = None
        run.save()
        _lock_rounds(
            run=run,
            rounds=locked,
            actor=actor,
            request=request,
            detail={"match_run": run.pk, "event": "restarted"},
        )
        _enqueue(run)
    return run


def match_run_execute(*, run_id: int) -> MatchRun:
    """Load, score, match, store. Called by the Celery task (also when a lost worker's task is
    delivered again: a RUNNING run simply starts over). Any exception → FAILED, unlocked."""
    if not connection.in_atomic_block:  # (a task run eagerly inside a test's transaction)
        close_old_connections()
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().get(pk=run_id)
        if run.status not in (MatchRunStatus.QUEUED, MatchRunStatus.RUNNING):
            return run
        now = timezone.now()
        _begin(run, status=MatchRunStatus.RUNNING, message=P_LOADING, now=now, started_at=now)
    reporter = ProgressReporter(run.pk)
    # Millions of small tuples and no reference cycles: the cyclic collector's full passes
    # would only cost time, holding the GIL (and so the heartbeat) for seconds on a busy machine.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with translation.override("en"):
            outcome = _load_and_match(run, reporter)
            stored = _store(run, outcome, reporter)
        if not stored:
            logger.info("match run %s was stopped before it finished", run.pk)
    except Exception:
        logger.exception("match run %s failed", run.pk)
        reporter.stop()
        match_run_fail(run=run, error=ERROR_INTERNAL)
    finally:
        reporter.stop()
        if collecting:
            gc.enable()
    run.refresh_from_db()
    return run


def _approval_restart(*, run: MatchRun, actor, request=None) -> MatchRun:
    """A stale approval (its worker lost, nothing applied) goes back to SUCCEEDED, ready to be
    approved again."""
    from .approval import ERROR_APPROVAL_STALE, match_run_approval_abandon

    if not match_run_is_stale(run):
        raise MatchRunError(
            _("Only a failed run, or one that has stopped reporting progress, can be restarted."),
            code="not_restartable",
        )
    match_run_approval_abandon(run_id=run.pk, error=ERROR_APPROVAL_STALE)
    _audit_rounds(
        run=run,
        rounds=run.rounds.select_related("region"),
        actor=actor,
        request=request,
        detail={"match_run": run.pk, "event": "approval_abandoned"},
    )
    run.refresh_from_db()
    return run
