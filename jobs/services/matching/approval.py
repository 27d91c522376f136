"""Approval: a SUCCEEDED match or backfill run becomes offers."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.choices import AuditAction

from ...choices import (
    ApplicationStatus,
    MatchRunKind,
    MatchRunStatus,
)
from ...models import (
    MatchResult,
    MatchRun,
    RecruitmentRound,
)
from .backfill import _check_backfill_capacity
from .common import BACKFILL_STATUSES, MATCH_STATUSES, MatchRunError, _approved_runs, _in_scope_all

# --- approval -----------------------------------------------------------------------------


def match_run_approve(*, run: MatchRun, actor, request=None) -> MatchRun:
    """Turn a SUCCEEDED match or backfill run into offers, and tell everyone their result.

    One transaction: every matched applicant gets an offer (reply by now + the round's
    `offer_reply_days`), every applicant matched nowhere becomes UNMATCHED; both are e-mailed
    in their language after commit. Refused (MatchRunError) for a simulation, a run that is
    not ready, one already approved, or one whose inputs changed since it ran.
    """
    from ..offers import offer_create
    from ..status import application_transition

    rounds = list(run.rounds.select_related("region"))
    if not _in_scope_all(actor, rounds):
        raise Http404
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().get(pk=run.pk)
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
        round_ids = [r.pk for r in rounds]
        locked = list(
            RecruitmentRound.objects.select_for_update().filter(pk__in=round_ids).order_by("pk")
        )
        if any(r.locked_by_run_id for r in locked):
            raise MatchRunError(
                _("A run of this round is in progress; approve when it has finished."),
                code="locked",
            )
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
        statuses = BACKFILL_STATUSES if run.kind == MatchRunKind.BACKFILL else MATCH_STATUSES
        results = list(
            MatchResult.objects.filter(run=run)
            .select_related("application__applicant", "application__round", "post")
            .order_by("application_id")
        )
        changed = [r for r in results if r.application.status not in statuses]
        if changed:
            raise MatchRunError(
                _(
                    "%(count)s applications changed since this run (withdrawn, offered, …); "
                    "start a new run."
                )
                % {"count": len(changed)},
                code="outdated",
            )
        if run.kind == MatchRunKind.BACKFILL:
            _check_backfill_capacity(run, round_ids)
        now = timezone.now()
        matched_people = {r.application.applicant_id for r in results if r.post_id}
        reply_days = {r.pk: r.offer_reply_days for r in locked}
        offers = 0
        unmatched = 0
        for result in results:
            application = result.application
            if result.post_id:
                offer_create(
                    application=application,
                    post=result.post,
                    match_run=run,
                    reply_deadline=now + datetime.timedelta(days=reply_days[application.round_id]),
                )
                offers += 1
            elif application.applicant_id in matched_people:
                application_transition(
                    application=application,
                    to_status=ApplicationStatus.UNMATCHED,
                    actor=actor,
                    request=request,
                    reason=_("Matched to a post of another round of the joint match."),
                    notify=False,
                )
            elif application.status != ApplicationStatus.UNMATCHED:
                with translation.override(application.applicant.preferred_language):
                    reason = _(
                        "No place at any of your choices for your score in match run #%(run)s; "
                        "the cut-offs are on your application page."
                    ) % {"run": run.pk}
                application_transition(
                    application=application,
                    to_status=ApplicationStatus.UNMATCHED,
                    actor=actor,
                    request=request,
                    reason=reason,
                )
                unmatched += 1
        run.status = MatchRunStatus.APPROVED
        run.approved_by = actor
        run.approved_at = now
        run.save(update_fields=["status", "approved_by", "approved_at"])
        for r in rounds:
            audit_record(
                action=AuditAction.STATUS_CHANGE,
                actor=actor,
                request=request,
                target=run,
                region=r.region,
                detail={
                    "match_run": run.pk,
                    "event": "approved",
                    "offers": offers,
                    "unmatched": unmatched,
                },
            )
    return run
