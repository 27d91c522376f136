from celery import shared_task


@shared_task
def issue_certificates(
    user_id: int, course_id: int | None = None, path_id: int | None = None
) -> list[str]:
    from .services.certificates import certificates_issue_for

    return certificates_issue_for(user_id=user_id, course_id=course_id, path_id=path_id)


# --- assignments and reminders (training/services/assignments.py) -------------------------------


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_assignment(assignment_id: int) -> dict:
    """Enrol and notify everyone an assignment reaches; if the worker dies, it runs again."""
    from .services.assignments import assignment_run

    result = assignment_run(assignment_id=assignment_id)
    return {"batches": result.batches, "enrolled": result.enrolled, "notified": result.notified}


@shared_task(acks_late=True)
def send_assignment_notices(assignment_id: int, user_ids: list[int]) -> int:
    """One chunk of assignment e-mails (each message is then delivered by core's send_email)."""
    from .services.assignments import assignment_notices_send

    return assignment_notices_send(assignment_id=assignment_id, user_ids=user_ids)


@shared_task(acks_late=True)
def send_due_reminders(today: str | None = None) -> dict:
    """Daily (Celery beat): reminders 7 days and 1 day before an assigned course is due."""
    import datetime

    from .services.assignments import reminders_send

    sent = reminders_send(today=datetime.date.fromisoformat(today) if today else None)
    return {str(days): count for days, count in sent.items()}
