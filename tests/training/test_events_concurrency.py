"""No overbooking: ten people register at the same moment for an event with three places.

Each thread has its own database connection, so the registrations really run side by side:
on PostgreSQL (CI) they queue on the event's row lock; on SQLite, transactions start
IMMEDIATE and writers queue on the database lock. Either way exactly three get a place.
"""

import threading
from collections import Counter

import pytest

from django.db import connection

from accounts.models import User
from tests.factories import UserFactory, load_small_regions, region
from tests.training.builders import make_event
from training.models import EventRegistration, TrainingEventPage
from training.services.events import event_register

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

THREADS = 10


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
            results.append(event_register(user=user, event=page).status)
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
    import traceback; [traceback.print_exception(e) for e in errors[:2]]
    assert errors == []
    assert Counter(results) == {"registered": 3, "waitlisted": 7}
    stored = Counter(EventRegistration.objects.filter(event=event).values_list("status", flat=True))
    assert stored == {"registered": 3, "waitlisted": 7}
