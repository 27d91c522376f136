"""No overbooking: ten people register at the same moment for an event with three places.

Each thread has its own database connection, so the registrations really run side by side.
On PostgreSQL (CI) they queue on the event's row lock. On SQLite, transactions start
IMMEDIATE, so writers queue on the database lock; but the test database lives in shared-cache
memory, where a second BEGIN IMMEDIATE fails at once with "database table is locked" instead
of waiting as the busy timeout of a file database makes it. There the thread retries the whole
call, exactly as that busy handler would: nothing of a failed attempt was written.
"""

import threading
import time
from collections import Counter

from django.db import OperationalError, connection

import pytest

from accounts.models import User
from tests.factories import UserFactory, load_small_regions, region
from tests.training.builders import make_event
from training.models import EventRegistration, TrainingEventPage
from training.selectors_events import waitlist_position
from training.services.events import event_register

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

THREADS = 10
SQLITE_RETRY_SECONDS = 20


def register_waiting_for_sqlite(*, user, event) -> EventRegistration:
    deadline = time.monotonic() + SQLITE_RETRY_SECONDS
    while True:
        try:
            return event_register(user=user, event=event)
        except OperationalError as exc:
            if (
                connection.vendor != "sqlite"
                or "locked" not in str(exc)
                or time.monotonic() > deadline
            ):
                raise
            time.sleep(0.005)


def test_ten_concurrent_registrations_fill_three_places_and_waitlist_seven():
    load_small_regions()
    event = make_event(region=region("441403"), capacity=3)
    user_ids = [UserFactory().pk for _ in range(THREADS)]
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    results: list[str] = []

    def register(user_id: int) -> None:
        try:
            user = User.objects.get(pk=user_id)
            page = TrainingEventPage.objects.get(pk=event.pk)
            start.wait(timeout=30)
            results.append(register_waiting_for_sqlite(user=user, event=page).status)
        except BaseException as exc:  # noqa: BLE001 (reported by the assertion below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(uid,)) for uid in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not any(t.is_alive() for t in threads), "a registration never finished"
    assert errors == []
    assert Counter(results) == {"registered": 3, "waitlisted": 7}
    stored = Counter(EventRegistration.objects.filter(event=event).values_list("status", flat=True))
    assert stored == {"registered": 3, "waitlisted": 7}
    # Everyone waiting has a distinct place in the queue: 1 to 7.
    waiting = EventRegistration.objects.filter(event=event, status="waitlisted")
    assert sorted(waitlist_position(r) for r in waiting) == list(range(1, 8))
