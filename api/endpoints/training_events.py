"""Training events: the upcoming list, registration with a waiting list, self check-in by code."""

import datetime
from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from ninja import Field, Router, Schema, Status

from api.auth import token_or_session
from api.schemas import ErrorOut
from training.canonical import canonical
from training.models import EventRegistration, TrainingEventPage
from training.selectors_events import (
    event_with_places,
    events_upcoming,
    registrations_for_user,
    waitlist_position,
)
from training.services.events import attendance_by_code, event_cancel, event_register

router = Router(tags=["events"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class EventOut(Schema):
    id: int
    title: str
    summary: str
    format: str
    category: str
    language: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    venue_region_code: str
    venue_region_name: str
    venue_address: str
    declared_hours: Decimal
    capacity: int
    places_left: int
    waitlisted: int
    registration_opens: datetime.datetime
    registration_closes: datetime.datetime
    registration_open: bool
    url: str | None


def _event_out(event: TrainingEventPage) -> dict:
    now = timezone.now()
    return {
        "id": event.pk,
        "title": event.title,
        "summary": event.summary,
        "format": event.format,
        "category": event.category,
        "language": event.locale.language_code,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "venue_region_code": event.venue_region.code,
        "venue_region_name": event.venue_region.name,
        "venue_address": event.venue_address,
        "declared_hours": event.declared_hours,
        "capacity": event.capacity,
        "places_left": event.places_left,
        "waitlisted": event.waitlisted,
        "registration_opens": event.registration_opens,
        "registration_closes": event.registration_closes,
        "registration_open": event.registration_opens <= now <= event.registration_closes,
        "url": event.url,
    }


@router.get(
    "/events", response=list[EventOut], summary="Upcoming training events (live, not yet over)"
)
def event_list(request, lang: Literal["zh-hans", "en"] = settings.LANGUAGE_CODE):
    """Events in one language (Chinese by default); places are counted on the source version."""
    return [_event_out(e) for e in events_upcoming(language=lang)]


@router.get(
    "/events/{event_id}", response={200: EventOut, 404: ErrorOut}, summary="One training event"
)
def event_detail(request, event_id: int):
    event = get_object_or_404(
        TrainingEventPage.objects.live().select_related("venue_region", "locale"), pk=event_id
    )
    return _event_out(event_with_places(event))


class RegistrationOut(Schema):
    id: int
    event_id: int = Field(..., description="The source (Chinese) version of the event")
    event_title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    status: Literal["registered", "waitlisted", "cancelled", "attended"]
    waitlist_position: int | None = Field(
        None, description="1 = first in line; null unless waitlisted"
    )
    registered_at: datetime.datetime
    attended_at: datetime.datetime | None
    calendar_url: str | None = Field(None, description="An .ics file for the registration")


def _registration_out(request, registration: EventRegistration) -> dict:
    event = registration.event
    active = registration.status != "cancelled"
    return {
        "id": registration.pk,
        "event_id": event.pk,
        "event_title": event.title,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "status": registration.status,
        "waitlist_position": waitlist_position(registration),
        "registered_at": registration.created_at,
        "attended_at": registration.attended_at,
        "calendar_url": (
            request.build_absolute_uri(reverse("training:event_calendar", args=[event.pk]))
            if active
            else None
        ),
    }


def _source_event(event_id: int) -> TrainingEventPage:
    return canonical(get_object_or_404(TrainingEventPage, pk=event_id))


@router.post(
    "/events/{event_id}/registration",
    response={200: RegistrationOut, 201: RegistrationOut, **ERRORS},
    auth=token_or_session,
    summary="Register the caller: a place if any is left, else the waiting list (idempotent: 201 first, 200 after)",
)
def event_registration_create(request, event_id: int):
    registration = event_register(user=request.user, event=_source_event(event_id))
    return Status(201 if registration.created else 200, _registration_out(request, registration))


@router.delete(
    "/events/{event_id}/registration",
    response={200: RegistrationOut, **ERRORS},
    auth=token_or_session,
    summary="Cancel the caller's registration; a freed place goes to the first person waiting",
)
def event_registration_cancel(request, event_id: int):
    try:
        registration = event_cancel(user=request.user, event=_source_event(event_id))
    except EventRegistration.DoesNotExist as exc:
        raise Http404 from exc
    return _registration_out(request, registration)


@router.get(
    "/me/registrations",
    response={200: list[RegistrationOut], 401: ErrorOut},
    auth=token_or_session,
    summary="The caller's event registrations, latest event first",
)
def my_registrations(request):
    return [_registration_out(request, r) for r in registrations_for_user(user=request.user)]


class AttendanceIn(Schema):
    code: str = Field(..., max_length=12, description="The six digits on the organiser's screen")


@router.post(
    "/events/{event_id}/attendance",
    response={200: RegistrationOut, **ERRORS},
    auth=token_or_session,
    summary="Check in with the rotating code shown by the organiser (during the event only)",
)
def event_attendance(request, event_id: int, payload: AttendanceIn):
    registration = attendance_by_code(
        user=request.user, event=_source_event(event_id), code=payload.code
    )
    return _registration_out(request, registration)
