"""Two tabs at the same moment: submitting one application twice, accepting one offer twice.

Each thread has its own database connection. On PostgreSQL the second insert meets the unique
constraint (round, applicant), and the second acceptance waits on the offer's row lock; on
SQLite writers queue on the database lock (shared-cache memory fails at once with "locked", so
the thread retries, as a file database's busy handler would).
"""

import threading
import time
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.utils import translation

import pytest

from accounts.models import User
from jobs.models import Application, Offer, Placement, Post, RecruitmentRound
from jobs.services.applications import application_submit
from jobs.services.offers import offer_accept
from tests.factories import load_small_regions
from tests.jobs.builders import MEIXIAN, make_graduate, make_post, make_round, villages_of

from .helpers import offered

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
RETRY_SECONDS = 20


def retrying(call):
    deadline = time.monotonic() + RETRY_SECONDS
    while True:
        try:
            return call()
        except OperationalError as exc:
            if connection.vendor != "sqlite" or "locked" not in str(exc):
                raise
            if time.monotonic() > deadline:
                raise
            time.sleep(0.005)


def run_twice(work) -> list[str]:
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def one(tab: int) -> None:
        try:
            start.wait(timeout=30)
            with translation.override("en"):
                retrying(lambda: work(tab))
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        except BaseException as exc:  # noqa: BLE001 (reported by the assertion)
            outcomes.append(f"error: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(tab,)) for tab in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    return outcomes


def test_two_tabs_submit_at_once_one_application_stands():
    load_small_regions()
    round_ = make_round(MEIXIAN)
    posts = [make_post(round_, v) for v in villages_of(MEIXIAN)[:4]]
    user_id = make_graduate().pk

    def submit(tab: int):
        user = User.objects.get(pk=user_id)
        round_fresh = RecruitmentRound.objects.select_related("region").get(pk=round_.pk)
        chosen = [posts[tab].pk, posts[tab + 2].pk]
        return application_submit(user=user, round_=round_fresh, post_ids=chosen)

    outcomes = run_twice(submit)
    assert Counter(o if o == "ok" else o.split(".")[0] for o in outcomes) == {
        "ok": 1,
        "You have already applied to this round": 1,
    }, outcomes
    application = Application.objects.get()
    assert application.preferences.count() == 2
    assert application.events.count() == 1


def test_two_tabs_accept_at_once_one_placement():
    load_small_regions()
    round_ = make_round(MEIXIAN)
    posts = [make_post(round_, v) for v in villages_of(MEIXIAN)[:2]]
    graduate = make_graduate()
    offer = offered(graduate, round_, posts)

    def accept(tab: int):
        return offer_accept(
            offer=Offer.objects.get(pk=offer.pk), user=User.objects.get(pk=graduate.pk)
        )

    outcomes = run_twice(accept)
    assert sorted(outcomes) == ["You have already accepted this offer.", "ok"], outcomes
    assert Placement.objects.count() == 1
    assert Post.objects.count() == 2
