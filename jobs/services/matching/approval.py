"""Approval: a SUCCEEDED match or backfill run becomes offers.

A small run (at most APPROVE_INLINE_MAX results) is applied in the officer's request. A larger
one becomes APPROVING: its rounds are locked and a Celery task (`jobs.tasks.match_run_approve`)
applies it with a progress bar, in one transaction — a worker killed on the way leaves nothing
applied, and the run can be approved again.

Applying is done in bulk, with the semantics of `jobs.services.offers.offer_create` and
`jobs.services.status.application_transition` for each application: a PENDING offer with its
reply deadline, the application's new status, a timeline event, an audit record, and an e-mail
in the applicant's language after commit (rendered by `jobs.tasks.application_status_emails`,
in batches of EMAIL_BATCH events).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ...choices import MatchRunKind, MatchRunStatus
from ...models import (
    MatchResult,
    MatchRun,
    RecruitmentRound,
)
from .approval_bulk import _apply
from .backfill import _check_backfill_capacity
from .common import (
    BACKFILL_STATUSES,
    MATCH_STATUSES,
    P_APPROVING,
    MatchRunError,
    _approved_runs,
    _audit_rounds,
    _begin,
    _in_scope_all,
    _lock_rounds,
    _unlock,
)
from .progress import ProgressReporter

logger = logging.getLogger(__name__)

# Runs with more results than this are applied in the background.
APPROVE_INLINE_MAX = 300

ERROR_APPROVAL_FAILED = gettext_noop(
    "The approval failed because of an internal error; no offer was made. You can approve again."
)
ERROR_APPROVAL_STALE = gettext_noop(
    "The approval stopped reporting progress (its worker was probably stopped); no offer was "
    "made. You can approve again."
)


def _check_ready(run: MatchRun, rounds, locked) -> None:
    """Refuse (MatchRunError) a run that may not be approved now."""
    if run.kind == MatchRunKind.SIMULATION:
        raise MatchRunError(
            _("A simulation is never approved: it makes no offers."), code="simulation"
        )
    if run.status == MatchRunStatus.APPROVED:
        raise MatchRunError(_("This run has already been approved."), code="already_approved")
    if run.status != MatchRunStatus.SUCCEEDED:
        raise MatchRunError(
            _("Only a finished run can be approved; this one is “%(status)s”.")
            % {"status": run.get_status_display()},
            code="not_ready",
        )
    if any(r.locked_by_run_id for r in locked):
        raise MatchRunError(
            _("A run of this round is in progress; approve when it has finished."),
            code="locked",
        )
    round_ids = [r.pk for r in rounds]
    later = (
        _approved_runs(round_ids)
        .exclude(pk=run.pk)
        .filter(approved_at__gte=run.started_at or run.created_at)
    )
    if run.kind == MatchRunKind.MATCH and _approved_runs(round_ids).exists():
        raise MatchRunError(
            _("This round already has an approved match; use a backfill pass."),
            code="already_matched",
        )
    if later.exists():
        raise MatchRunError(
            _("Another run of this round was approved after this one ran; start a new run."),
            code="outdated",
        )


def _results(run: MatchRun) -> list[tuple]:
    """(application id, post id | None, status, applicant id, round id, language), checked:
    refused when an application changed since the run."""
    statuses = BACKFILL_STATUSES if run.kind == MatchRunKind.BACKFILL else MATCH_STATUSES
    rows = list(
        MatchResult.objects.filter(run=run)
        .order_by("application_id")
        .values_list(
            "application_id",
            "post_id",
            "application__status",
            "application__applicant_id",
            "application__round_id",
            "application__applicant__preferred_language",
        )
    )
    changed = sum(1 for r in rows if r[2] not in statuses)
    if changed:
        raise MatchRunError(
            _(
                "%(count)s applications changed since this run (withdrawn, offered, …); "
                "start a new run."
            )
            % {"count": changed},
            code="outdated",
        )
    return rows


def match_run_approve(*, run: MatchRun, actor, request=None) -> MatchRun:
    """Turn a SUCCEEDED match or backfill run into offers, and tell everyone their result.

    Every matched applicant gets an offer (reply by now + the round's `offer_reply_days`), every
    applicant matched nowhere becomes UNMATCHED; both are e-mailed in their language after
    commit. Refused (MatchRunError) for a simulation, a run that is not ready, one already
    approved, or one whose inputs changed since it ran. A run with more than
    APPROVE_INLINE_MAX results is applied in the background: it is returned APPROVING.
    """
    rounds = list(run.rounds.select_related("region"))
    if not _in_scope_all(actor, rounds):
        raise Http404
    round_ids = [r.pk for r in rounds]
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().get(pk=run.pk)
        locked = list(
            RecruitmentRound.objects.select_for_update().filter(pk__in=round_ids).order_by("pk")
        )
        _check_ready(run, rounds, locked)
        rows = _results(run)
        if run.kind == MatchRunKind.BACKFILL:
            _check_backfill_capacity(run, round_ids)
        if len(rows) <= APPROVE_INLINE_MAX:
            counts = _apply(run=run, rows=rows, rounds=locked, actor=actor, request=request)
            _finish(
                run=run,
                rounds=rounds,
                actor=actor,
                request=request,
                counts=counts,
                expected=MatchRunStatus.SUCCEEDED,
            )
            run.refresh_from_db()
            return run
        _begin(
            run,
            status=MatchRunStatus.APPROVING,
            message=P_APPROVING,
            now=timezone.now(),
            approved_by=actor,
        )
        _lock_rounds(
            run=run,
            rounds=rounds,
            actor=actor,
            request=request,
            detail={"match_run": run.pk, "event": "approval_started", "results": len(rows)},
        )
        from ...tasks import match_run_approve as task

        transaction.on_commit(lambda: task.delay(run.pk))
    return run


def match_run_approval_execute(*, run_id: int) -> MatchRun:
    """The background part of approving a large run (the Celery task calls this).

    Everything in one transaction; when refused (an application changed meanwhile) or failed,
    nothing is applied and the run is back to SUCCEEDED with the reason in `error`.
    """
    run = MatchRun.objects.select_related("approved_by").get(pk=run_id)
    if run.status != MatchRunStatus.APPROVING:
        return run
    rounds = list(run.rounds.select_related("region"))
    reporter = ProgressReporter(run.pk, status=MatchRunStatus.APPROVING)
    reporter.report(1, P_APPROVING)
    error = ""
    language = getattr(run.approved_by, "preferred_language", "") or "zh-hans"
    try:
        with translation.override(language), transaction.atomic():  # refusals: the approver's
            # The rounds' locks serialise deliveries of this task; the run's row stays free for
            # the heartbeat's progress writes.
            locked = list(
                RecruitmentRound.objects.select_for_update()
                .filter(pk__in=[r.pk for r in rounds])
                .order_by("pk")
            )
            run = MatchRun.objects.get(pk=run_id)
            if run.status != MatchRunStatus.APPROVING:
                return run
            rows = _results(run)
            if run.kind == MatchRunKind.BACKFILL:
                _check_backfill_capacity(run, [r.pk for r in rounds])
            actor = run.approved_by
            counts = _apply(run=run, rows=rows, rounds=locked, actor=actor, reporter=reporter)
            reporter.stop()
            if not _finish(
                run=run,
                rounds=rounds,
                actor=actor,
                request=None,
                counts=counts,
                expected=MatchRunStatus.APPROVING,
            ):
                transaction.set_rollback(True)  # abandoned meanwhile (a lost worker's restart)
                return run
            _unlock(run)
    except MatchRunError as exc:
        error = exc.message
    except Exception:
        logger.exception("approval of match run %s failed", run_id)
        error = ERROR_APPROVAL_FAILED
    finally:
        reporter.stop()
    if error:
        match_run_approval_abandon(run_id=run_id, error=error)
    run.refresh_from_db()
    return run


def match_run_approval_abandon(*, run_id: int, error: str) -> None:
    """Back to SUCCEEDED (nothing applied), rounds unlocked, with the reason in `error`."""
    with transaction.atomic():
        MatchRun.objects.filter(pk=run_id, status=MatchRunStatus.APPROVING).update(
            status=MatchRunStatus.SUCCEEDED,
            approved_by=None,
            error=error,
            progress=100,
            progress_message="",
            progress_at=timezone.now(),
        )
        RecruitmentRound.objects.filter(locked_by_run_id=run_id).update(locked_by_run=None)


def _finish(*, run: MatchRun, rounds, actor, request, counts: dict, expected: str) -> bool:
    """APPROVED, with an audit record per round; False when the run is no longer `expected`."""
    now = timezone.now()
    updated = MatchRun.objects.filter(pk=run.pk, status=expected).update(
        status=MatchRunStatus.APPROVED,
        approved_by=actor,
        approved_at=now,
        progress=100,
        progress_at=now,
        error="",
    )
    if not updated:
        return False
    _audit_rounds(
        run=run,
        rounds=rounds,
        actor=actor,
        request=request,
        detail={"match_run": run.pk, "event": "approved", **counts},
    )
    return True
