from django.core.mail import EmailMultiAlternatives

from celery import shared_task


@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def send_email(payload: dict) -> None:
    """Deliver one rendered e-mail; SMTP outages are retried with back-off."""
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload["from_email"],
        to=payload["to"],
    )
    for content, mimetype in payload.get("alternatives", []):
        message.attach_alternative(content, mimetype)
    message.send()


@shared_task
def ping() -> str:
    """Used by the health check and the worker tests to prove a worker answers."""
    return "pong"
