"""Constants of match runs: statuses taking part, stages, progress and error messages."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext_noop

from accounts.audit import audit_record
from accounts.choices import AuditAction
from accounts.scope import region_in_scope

from ...choices import (
    ApplicationStatus,
    MatchRunKind,
    MatchRunStatus,
    RoundStage,
)
from ...models import MatchRun, RecruitmentRound

SCORE_QUANTUM = Decimal("0.001")
HUNDRED = Decimal(100)
# A RUNNING or QUEUED run that has not written progress for this long lost its worker.
STALE_AFTER = datetime.timedelta(minutes=3)
# The heartbeat thread writes progress at least this often (seconds).
HEARTBEAT_SECONDS = 1.0
RESULT_BATCH = 2000

PRIORITY_FIELDS = (
    "weight_written",
    "weight_interview",
    "bonus_home_village",
    "bonus_home_township",
    "bonus_home_county",
    "bonus_preservice",
    "bonus_under_served",
)
EXTRA_RULES = ("political_status", "dialect", "education_level", "major", "post_dialect")

# Who takes part in a pass.
MATCH_STATUSES = (ApplicationStatus.SCORED, ApplicationStatus.ELIGIBLE)
BACKFILL_STATUSES = (*MATCH_STATUSES, ApplicationStatus.UNMATCHED)
# Stages in which each kind of run may start.
KIND_STAGES = {
    MatchRunKind.MATCH: {RoundStage.MATCHING},
    MatchRunKind.BACKFILL: {
        RoundStage.MATCHING,
        RoundStage.OFFERS,
        RoundStage.PUBLIC_NOTICE,
        RoundStage.ONBOARDING,
    },
    MatchRunKind.SIMULATION: {
        RoundStage.SCORING,
        RoundStage.MATCHING,
        RoundStage.OFFERS,
        RoundStage.PUBLIC_NOTICE,
        RoundStage.ONBOARDING,
    },
}

# Error texts stored on a run (English msgids, shown translated).
ERROR_INTERNAL = gettext_noop(
    "The run failed because of an internal error; nothing was applied. You can restart it."
)
ERROR_STALE = gettext_noop(
    "The run stopped reporting progress (its worker was probably stopped); nothing was "
    "applied. You can restart it."
)
ERROR_SUPERSEDED = gettext_noop("The run was stopped before it finished; nothing was applied.")

# Progress messages (English msgids, shown translated).
P_QUEUED = gettext_noop("Waiting for a worker")
P_LOADING = gettext_noop("Loading posts and applications")
P_SCORING = gettext_noop("Checking eligibility and computing priorities")
P_MATCHING = gettext_noop("Matching")
P_STORING = gettext_noop("Saving results")
P_STATISTICS = gettext_noop("Computing statistics")
P_DONE = gettext_noop("Done")
P_APPROVING = gettext_noop("Making offers and telling applicants their results")


class MatchRunError(Exception):
    """A refused action on a run, with a message for the officer (already translated)."""

    def __init__(self, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# --- shared helpers ---------------------------------------------------------------


def _in_scope_all(user, rounds: Iterable[RecruitmentRound]) -> bool:
    return all(region_in_scope(user, r.region) for r in rounds)


def _approved_runs(round_ids, kinds=(MatchRunKind.MATCH, MatchRunKind.BACKFILL)):
    return MatchRun.objects.filter(
        rounds__in=round_ids, status=MatchRunStatus.APPROVED, kind__in=kinds
    ).distinct()


def _unlock(run: MatchRun) -> None:
    RecruitmentRound.objects.filter(locked_by_run=run).update(locked_by_run=None)


def _audit_rounds(*, run: MatchRun, rounds, actor, request, detail: dict) -> None:
    """An audit record of a change of `run`, in each of its rounds' regions."""
    for r in rounds:
        audit_record(
            action=AuditAction.STATUS_CHANGE,
            actor=actor,
            request=request,
            target=run,
            region=r.region,
            detail=dict(detail),
        )


def _lock_rounds(*, run: MatchRun, rounds, actor, request, detail: dict) -> None:
    """Lock the rounds to the run, with an audit record of `detail` in each round's region."""
    RecruitmentRound.objects.filter(pk__in=[r.pk for r in rounds]).update(locked_by_run=run)
    _audit_rounds(run=run, rounds=rounds, actor=actor, request=request, detail=detail)


def _begin(run: MatchRun, *, status: str, message: str, now, **fields) -> None:
    """Move the run to `status` with its progress back at 0 and no error, and save that."""
    run.status = status
    for name, value in fields.items():
        setattr(run, name, value)
    run.progress = 0
    run.progress_message = message
    run.progress_at = now
    run.error = ""
    run.save(
        update_fields=["status", *fields, "progress", "progress_message", "progress_at", "error"]
    )
