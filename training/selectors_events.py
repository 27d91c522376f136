"""Reads for training events: the learner's status on the event page, the roster, the API lists."""

import datetime

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .canonical import canonical
from .choices import RegistrationStatus
from .models import EventRegistration, TrainingEventPage
from .services.events import HOLDS_PLACE, check_in_open, is_event_organiser


def waitlist_position(registration: EventRegistration) -> int | None:
    """1 for the first person on the waiting list; None when not waiting."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    earlier = Q(created_at__lt=registration.created_at) | Q(
        created_at=registration.created_at, pk__lt=registration.pk
    )
    ahead = EventRegistration.objects.filter(
        earlier, event_id=registration.event_id, status=RegistrationStatus.WAITLISTED
    )
    return ahead.count() + 1


def event_viewer_status(
    *,
    event: TrainingEventPage,
    user,
    registration: EventRegistration | None,
    now: datetime.datetime | None = None,
) -> dict:
    """What the event page adds for the person reading it (`event` is the source version)."""
    now = now or timezone.now()
    return {
        "waitlist_position": waitlist_position(registration) if registration else None,
        "check_in_open": bool(
            registration and registration.status in HOLDS_PLACE and check_in_open(event, now)
        ),
        "is_organiser": bool(user.is_authenticated and is_event_organiser(user, event)),
        "can_cancel": bool(
            registration
            and registration.status
            in (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)
            and now < event.starts_at
        ),
    }


def event_roster(*, event: TrainingEventPage) -> dict:
    """Everyone holding a place (and how many wait), for the organiser's roster on a phone."""
    event = canonical(event)
    people = list(
        EventRegistration.objects.filter(event=event, status__in=HOLDS_PLACE)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    attended = sum(1 for r in people if r.status == RegistrationStatus.ATTENDED)
    return {
        "people": people,
        "registered_count": len(people),
        "attended_count": attended,
        "waitlisted_count": EventRegistration.objects.filter(
            event=event, status=RegistrationStatus.WAITLISTED
        ).count(),
    }


def attended_count(*, event: TrainingEventPage) -> int:
    return EventRegistration.objects.filter(
        event=canonical(event), status=RegistrationStatus.ATTENDED
    ).count()


def events_upcoming(
    *, language: str, now: datetime.datetime | None = None
) -> list[TrainingEventPage]:
    """Live events not yet over, in one language, each with `places_left` and `waitlisted` set.

    Registrations belong to the source version of an event; translations share its
    translation key, so the counts are joined on that key (two queries in all).
    """
    now = now or timezone.now()
    events = list(
        TrainingEventPage.objects.live()
        .filter(locale__language_code=language, ends_at__gte=now)
        .select_related("venue_region", "locale")
        .order_by("starts_at", "pk")
    )
    _annotate_places(events)
    return events


def event_with_places(event: TrainingEventPage) -> TrainingEventPage:
    _annotate_places([event])
    return event


def _annotate_places(events: list[TrainingEventPage]) -> None:
    if not events:
        return
    counts = (
        EventRegistration.objects.filter(
            event__translation_key__in=[e.translation_key for e in events]
        )
        .values("event__translation_key")
        .annotate(
            taken=Count("pk", filter=Q(status__in=HOLDS_PLACE)),
            waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
        )
    )
    by_key = {row["event__translation_key"]: row for row in counts}
    # A translation may lag behind its source: the source's capacity is the one that counts.
    capacities = {
        e.translation_key: e.capacity
        for e in events
        if e.locale.language_code == settings.LANGUAGE_CODE
    }
    missing = [e.translation_key for e in events if e.translation_key not in capacities]
    if missing:
        capacities.update(
            TrainingEventPage.objects.filter(
                translation_key__in=missing, locale__language_code=settings.LANGUAGE_CODE
            ).values_list("translation_key", "capacity")
        )
    for event in events:
        row = by_key.get(event.translation_key, {})
        capacity = capacities.get(event.translation_key, event.capacity)
        event.places_left = max(capacity - row.get("taken", 0), 0)
        event.waitlisted = row.get("waiting", 0)


def registrations_for_user(*, user) -> QuerySet[EventRegistration]:
    return (
        EventRegistration.objects.filter(user=user)
        .select_related("event", "event__venue_region")
        .order_by("-event__starts_at", "-pk")
    )
