"""Every e-mail leaves through a Celery task, enqueued after the surrounding transaction commits.

Rendering happens here, in the sender's request and language; the task only delivers.
"""

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string


def email_enqueue(message: EmailMessage) -> None:
    payload = {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email or settings.DEFAULT_FROM_EMAIL,
        "to": list(message.to),
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
    }
    from .tasks import send_email

    transaction.on_commit(lambda: send_email.delay(payload))


def email_send(*, to: list[str], template: str, context: dict) -> None:
    """Render `<template>_subject.txt`, `_message.txt` and (optionally) `_message.html`."""
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.splitlines())
    body = render_to_string(f"{template}_message.txt", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    email_enqueue(message)
