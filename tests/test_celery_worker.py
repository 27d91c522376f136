"""Tasks cross Redis to a real worker, and only once their transaction commits."""

import uuid

from django.db import transaction

import pytest

from core.tasks import send_email

# serialized_rollback: the flush after these tests must not drop what migrations created (the
# Wagtail root page, content types) for the transactional tests that run after them.
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _payload(subject: str) -> dict:
    return {
        "subject": subject,
        "body": "worker test",
        "from_email": "noreply@example.com",
        "to": ["graduate@example.com"],
    }


def test_delay_is_consumed_by_the_real_worker(celery_live):
    subject = f"worker-{uuid.uuid4().hex}"

    send_email.delay(_payload(subject))

    message = celery_live.wait_for_message(subject, timeout=30)
    assert message["To"] == "graduate@example.com"
    assert "worker test" in message.get_content()


def test_on_commit_task_is_dropped_on_rollback(celery_live):
    rolled_back = f"rolled-back-{uuid.uuid4().hex}"
    committed = f"committed-{uuid.uuid4().hex}"

    with pytest.raises(RuntimeError), transaction.atomic():
        transaction.on_commit(lambda: send_email.delay(_payload(rolled_back)))
        raise RuntimeError("roll back")
    with transaction.atomic():
        transaction.on_commit(lambda: send_email.delay(_payload(committed)))

    # The committed task was enqueued after the rolled-back one would have been: once the
    # (single, solo-pool) worker has delivered it, the other one would be there too.
    celery_live.wait_for_message(committed, timeout=30)
    assert rolled_back not in {m["Subject"] for m in celery_live.messages()}
