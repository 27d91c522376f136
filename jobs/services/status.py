"""Every change of an application's status goes through here: the timeline, the audit log and
the e-mail to the graduate (in the graduate's language) all follow from one call."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from accounts.audit import audit_record
from accounts.choices import AuditAction
from core.email import email_send

from ..models import Application, ApplicationEvent


@transaction.atomic
def application_transition(
    *,
    application: Application,
    to_status: str,
    actor=None,
    reason: str = "",
    request=None,
    notify: bool = True,
    save_fields: tuple[str, ...] = (),
) -> ApplicationEvent:
    """Set the status, record the event and audit, and e-mail the applicant after commit.

    `save_fields` names other fields the caller changed on `application` to save with it.
    """
    from_status = application.status
    application.status = to_status
    application.save(update_fields=["status", "updated_at", *save_fields])
    event = ApplicationEvent.objects.create(
        application=application,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        reason=reason,
        at=timezone.now(),
    )
    audit_record(
        action=AuditAction.STATUS_CHANGE,
        actor=actor,
        request=request,
        target=application,
        subject_user_id=application.applicant_id,
        region=application.round.region,
        detail={"from": from_status, "to": to_status},
    )
    if notify:
        application_status_email(application=application, event=event)
    return event


def in_language(language: str | None, msgid: str, values: dict | None = None) -> str:
    """`msgid` (marked with gettext_noop) in `language`: for texts stored for one person to read,
    such as a timeline reason, which must be in the applicant's language, not the actor's."""
    with translation.override(language or settings.LANGUAGE_CODE):
        message = translation.gettext(msgid)
    return message % values if values else message


def application_status_email(*, application: Application, event: ApplicationEvent) -> None:
    applicant = application.applicant
    with translation.override(applicant.preferred_language):
        email_send(
            to=[applicant.email],
            template="jobs/email/status_changed",
            context={
                "user": applicant,
                "application": application,
                "round": application.round,
                "status": application.get_status_display(),
                "reason": event.reason,
                "site_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
                "link": reverse("jobs:application_detail", args=[application.pk]),
            },
        )
