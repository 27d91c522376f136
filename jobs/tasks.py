"""Celery tasks of the jobs side: thin wrappers taking ids; the work is in jobs.services."""

from celery import shared_task

# --- HR work (jobs/services/exports.py) ----------------------------------------------------------


@shared_task(acks_late=True, reject_on_worker_lost=True)
def export_applications(export_id: int) -> dict:
    """Write the XLSX export of a round's applications into private storage."""
    from .services.exports import export_run

    job = export_run(export_id=export_id)
    return {"export": job.pk, "rows": job.done, "status": job.status}


# --- personal data (accounts/audit.py) -----------------------------------------------------------


@shared_task
def purge_audit_log() -> int:
    """Delete audit records older than max(180, AUDIT_RETENTION_DAYS) days (schedule daily)."""
    from accounts.audit import audit_log_purge

    return audit_log_purge()


# --- matching (jobs/services/matching/) ------------------------------------------------------


@shared_task(acks_late=True, reject_on_worker_lost=True)
def match_run(run_id: int) -> dict:
    """Load, score, match and store one match run (results written in one transaction)."""
    from .services.matching import match_run_execute

    run = match_run_execute(run_id=run_id)
    return {"run": run.pk, "status": run.status}


@shared_task(acks_late=True, reject_on_worker_lost=True)
def match_run_approve(run_id: int) -> dict:
    """Make the offers of an approved large run and tell every applicant (one transaction)."""
    from .services.matching import match_run_approval_execute

    run = match_run_approval_execute(run_id=run_id)
    return {"run": run.pk, "status": run.status}


@shared_task
def application_status_emails(event_ids: list[int]) -> int:
    """E-mail a batch of applicants about their application's new status (approval in bulk)."""
    from .services.matching import application_status_emails_send

    return application_status_emails_send(event_ids=event_ids)


# --- rounds (jobs/services/rounds.py) ------------------------------------------------------------


@shared_task
def advance_due_rounds() -> int:
    """Move rounds to their next stage on their dates (beat: every 15 minutes)."""
    from .services.rounds import round_advance_due

    return len(round_advance_due())


# --- the public post search (jobs/early.py) --------------------------------------------------------


@shared_task
def warm_public_search(generation: int) -> int:
    """Cache the first page of every province/city/county/township search (page and API) for
    this public-cache generation, if it is still current (queued by a miss: JOBS_PUBLIC_SEARCH_WARM)."""
    from .early import search_warm

    return search_warm(generation=generation)


# --- offers (jobs/services/offers.py) ------------------------------------------------------------


@shared_task(acks_late=True)
def expire_offers() -> int:
    """Mark pending offers past their reply deadline EXPIRED (their posts re-open for backfill)."""
    from .services.offers import offers_expire_due

    return offers_expire_due()
