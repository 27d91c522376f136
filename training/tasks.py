from celery import shared_task


@shared_task
def issue_certificates(user_id: int, course_id: int | None = None, path_id: int | None = None) -> list[str]:
    from .services.certificates import certificates_issue_for

    return certificates_issue_for(user_id=user_id, course_id=course_id, path_id=path_id)
