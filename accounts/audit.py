"""The one way to write the audit log: reveals, downloads, exports and status changes.

Callers pass ids and counts in `detail`, never the personal data itself.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from .models import AuditEvent


def client_ip(request) -> str | None:
    if request is None:
        return None
    # Behind the reverse proxy (docs/operations.md) REMOTE_ADDR is the proxy; it sets X-Real-IP.
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR") or None


_client_ip = client_ip


def audit_record(
    *,
    action: str,
    actor=None,
    request=None,
    target: models.Model | None = None,
    subject_user_id: int | None = None,
    region=None,
    detail: dict | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Append one record. `actor_label` overrides the actor's e-mail (an erased account)."""
    if (
        actor is None
        and actor_label is None
        and request is not None
        and request.user.is_authenticated
    ):
        actor = request.user
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=actor_label or (actor.email if actor is not None else "system"),
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        subject_user_id=subject_user_id,
        region=region,
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:256] if request is not None else ""),
        detail=detail or {},
    )


# The law asks for at least this long; settings.AUDIT_RETENTION_DAYS may only lengthen it.
AUDIT_MIN_RETENTION_DAYS = 180


def audit_retention_days() -> int:
    return max(AUDIT_MIN_RETENTION_DAYS, int(settings.AUDIT_RETENTION_DAYS or 0))


def audit_log_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete records older than the retention period; the only way records ever leave.

    Returns how many were deleted. Everything younger than max(180, AUDIT_RETENTION_DAYS)
    days stays, whatever the setting says.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(days=audit_retention_days())
    return AuditEvent.objects.filter(at__lt=cutoff).purge()
