"""The one way to write the audit log: reveals, downloads, exports and status changes.

Callers pass ids and counts in `detail`, never the personal data itself.
"""

from django.db import models

from .models import AuditEvent


def _client_ip(request) -> str | None:
    if request is None:
        return None
    # Behind the reverse proxy (docs/operations.md) REMOTE_ADDR is the proxy; it sets X-Real-IP.
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    action: str,
    actor=None,
    request=None,
    target: models.Model | None = None,
    subject_user_id: int | None = None,
    region=None,
    detail: dict | None = None,
) -> AuditEvent:
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=(actor.email if actor is not None else "system"),
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        subject_user_id=subject_user_id,
        region=region,
        ip_address=_client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:256] if request is not None else ""),
        detail=detail or {},
    )
