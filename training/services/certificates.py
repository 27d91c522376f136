"""Certificates: issued in the background when a course or a learning path is complete."""

from django.db import transaction


def certificate_request(*, user_id: int, course_id: int | None = None, path_id: int | None = None) -> None:
    """Queue the certificate for a completed course (and any learning path it completes)."""
    from ..tasks import issue_certificates

    transaction.on_commit(lambda: issue_certificates.delay(user_id, course_id, path_id))
