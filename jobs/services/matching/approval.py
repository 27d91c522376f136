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

import datetime
import logging
from collections import defaultdict

from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.audit import audit_record, client_ip
from accounts.choices import AuditAction
from accounts.models import AuditEvent

from ...choices import ApplicationStatus, MatchRunKind, MatchRunStatus, OfferStatus
from ...models import (
    Application,
    ApplicationEvent,
    MatchResult,
    MatchRun,
    Offer,
    Post,
    RecruitmentRound,
)
from .backfill import _check_backfill_capacity
from .common import (
    BACKFILL_STATUSES,
    MATCH_STATUSES,
    MatchRunError,
    _approved_runs,
    _in_scope_all,
    _unlock,
)
from .progress import ProgressReporter

logger = logging.getLogger(__name__)

# Runs with more results than this are applied in the background.
APPROVE_INLINE_MAX = 300
BULK = 2000
EMAIL_BATCH = 500

P_APPROVING = gettext_noop("Making offers and telling applicants their results")
ERROR_APPROVAL_FAILED = gettext_noop(
    "The approval failed because of an internal error; no offer was made. You can approve again."
)
# Timeline reasons, in the applicant's language.
R_OFFERED = gettext_noop("Offered: %(village)s; reply by %(deadline)s.")
R_ELSEWHERE = gettext_noop("Matched to a post of another round of the joint match.")
R_UNMATCHED = gettext_noop(
    "No place at any of your choices for your score in match run #%(run)s; "
    "the cut-offs are on your application page."
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
        now = timezone.now()
        run.status = MatchRunStatus.APPROVING
        run.approved_by = actor
        run.progress = 0
        run.progress_message = P_APPROVING
        run.progress_at = now
        run.error = ""
        run.save(
            update_fields=[
                "status",
                "approved_by",
                "progress",
                "progress_message",
                "progress_at",
                "error",
            ]
        )
        RecruitmentRound.objects.filter(pk__in=round_ids).update(locked_by_run=run)
        for r in rounds:
            audit_record(
                action=AuditAction.STATUS_CHANGE,
                actor=actor,
                request=request,
                target=run,
                region=r.region,
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
    for r in rounds:
        audit_record(
            action=AuditAction.STATUS_CHANGE,
            actor=actor,
            request=request,
            target=run,
            region=r.region,
            detail={"match_run": run.pk, "event": "approved", **counts},
        )
    return True


def _in_language(language: str, text: str, values: dict | None = None) -> str:
    with translation.override(language or "zh-hans"):
        message = _(text)
    return message % values if values else message


def _apply(*, run: MatchRun, rows, rounds, actor, request=None, reporter=None) -> dict:
    """Offers, status changes, timeline events, audit records; e-mails after commit."""
    now = timezone.now()
    reply_days = {r.pk: r.offer_reply_days for r in rounds}
    region_of = {r.pk: r.region_id for r in rounds}
    matched_people = {r[3] for r in rows if r[1]}
    villages = dict(
        Post.objects.filter(pk__in={r[1] for r in rows if r[1]}).values_list("pk", "village__name")
    )
    offers: list[Offer] = []
    # (application id, from status, to status, applicant id, round id, reason, notify)
    changes: list[tuple] = []
    for app_id, post_id, status, user_id, round_id, language in rows:
        if post_id:
            deadline = now + datetime.timedelta(days=reply_days[round_id])
            offers.append(
                Offer(
                    application_id=app_id,
                    post_id=post_id,
                    match_run=run,
                    status=OfferStatus.PENDING,
                    created_at=now,
                    reply_deadline=deadline,
                )
            )
            reason = _in_language(
                language,
                R_OFFERED,
                {
                    "village": villages[post_id],
                    "deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M"),
                },
            )
            changes.append(
                (app_id, status, ApplicationStatus.OFFERED, user_id, round_id, reason, True)
            )
        elif user_id in matched_people:
            reason = _in_language(language, R_ELSEWHERE)
            changes.append(
                (app_id, status, ApplicationStatus.UNMATCHED, user_id, round_id, reason, False)
            )
        elif status != ApplicationStatus.UNMATCHED:
            reason = _in_language(
                language,
                R_UNMATCHED,
                {"run": run.pk},
            )
            changes.append(
                (app_id, status, ApplicationStatus.UNMATCHED, user_id, round_id, reason, True)
            )
    total = max(1, len(offers) + len(changes))
    done = 0
    for start in range(0, len(offers), BULK):
        Offer.objects.bulk_create(offers[start : start + BULK])
        done += len(offers[start : start + BULK])
        if reporter:
            reporter.report(5 + 45 * done // total, P_APPROVING)
    by_status: dict[str, list[int]] = defaultdict(list)
    for change in changes:
        by_status[change[2]].append(change[0])
    for to_status, ids in by_status.items():
        for start in range(0, len(ids), BULK):
            Application.objects.filter(pk__in=ids[start : start + BULK]).update(
                status=to_status, updated_at=now
            )
    actor_label = actor.email if actor is not None else "system"
    ip = client_ip(request)
    agent = request.META.get("HTTP_USER_AGENT", "")[:256] if request is not None else ""
    notify_ids: list[int] = []
    for start in range(0, len(changes), BULK):
        chunk = changes[start : start + BULK]
        events = ApplicationEvent.objects.bulk_create(
            [
                ApplicationEvent(
                    application_id=app_id,
                    from_status=from_status,
                    to_status=to_status,
                    actor=actor,
                    reason=reason,
                    at=now,
                )
                for app_id, from_status, to_status, _u, _r, reason, _n in chunk
            ]
        )
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    actor=actor,
                    actor_label=actor_label,
                    action=AuditAction.STATUS_CHANGE,
                    object_type=Application._meta.label_lower,
                    object_id=str(app_id),
                    subject_user_id=user_id,
                    region_id=region_of[round_id],
                    ip_address=ip,
                    user_agent=agent,
                    detail={"from": from_status, "to": to_status},
                    at=now,
                )
                for app_id, from_status, to_status, user_id, round_id, _reason, _n in chunk
            ]
        )
        if any(event.pk is None for event in events):  # a database without RETURNING
            ids = dict(
                ApplicationEvent.objects.filter(
                    application_id__in=[c[0] for c in chunk], at=now
                ).values_list("application_id", "pk")
            )
            notify_ids += [ids[c[0]] for c in chunk if c[6]]
        else:
            notify_ids += [event.pk for event, c in zip(events, chunk, strict=True) if c[6]]
        done += len(chunk)
        if reporter:
            reporter.report(5 + 90 * done // total, P_APPROVING)
    _emails_after_commit(notify_ids)
    return {
        "offers": len(offers),
        "unmatched": sum(1 for c in changes if c[2] == ApplicationStatus.UNMATCHED and c[6]),
    }


def _emails_after_commit(event_ids: list[int]) -> None:
    from ...tasks import application_status_emails

    for start in range(0, len(event_ids), EMAIL_BATCH):
        batch = event_ids[start : start + EMAIL_BATCH]
        transaction.on_commit(lambda batch=batch: application_status_emails.delay(batch))


def application_status_emails_send(*, event_ids: list[int]) -> int:
    """E-mail each event's applicant about their application's new status (their language)."""
    from ..status import application_status_email

    events = ApplicationEvent.objects.filter(pk__in=event_ids).select_related(
        "application__applicant", "application__round"
    )
    sent = 0
    for event in events:
        application_status_email(application=event.application, event=event)
        sent += 1
    return sent
