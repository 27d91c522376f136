"""Training events: register and cancel, the calendar file, check-in with the organiser's code,
and the organiser's roster and code screen. Every page works on a phone; every change is a POST."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .canonical import canonical
from .choices import RegistrationStatus
from .models import EventRegistration, TrainingEventPage
from .selectors_events import attended_count, event_roster
from .services import LearningError
from .services.events import (
    attendance_by_code,
    attendance_code,
    attendance_record,
    event_cancel,
    event_organiser_check,
    event_register,
)


def _event_or_404(event_id: int) -> tuple[TrainingEventPage, TrainingEventPage]:
    """The page as addressed (any language) and its source version, which records point at."""
    shown = get_object_or_404(TrainingEventPage.objects.select_related("venue_region"), pk=event_id)
    return shown, canonical(shown)


def _organised_event_or_404(request, event_id: int) -> tuple[TrainingEventPage, TrainingEventPage]:
    shown, event = _event_or_404(event_id)
    event_organiser_check(user=request.user, event=event)
    return shown, event


# --- learners -----------------------------------------------------------------------------------


@login_required
@require_POST
def register(request, event_id: int):
    shown, event = _event_or_404(event_id)
    try:
        registration = event_register(user=request.user, event=event)
    except LearningError as exc:
        messages.error(request, exc.messages[0])
        return redirect(shown.url)
    if not registration.created:
        messages.info(request, _("You are already registered for this event."))
    elif registration.status == RegistrationStatus.REGISTERED:
        messages.success(
            request, _("You have a place at this event. Add it to your calendar below.")
        )
    else:
        messages.info(
            request,
            _(
                "The event is full, so you are on the waiting list. If a place frees up it is yours "
                "automatically, and we will e-mail you."
            ),
        )
    return redirect(shown.url)


@login_required
@require_POST
def cancel(request, event_id: int):
    shown, event = _event_or_404(event_id)
    try:
        event_cancel(user=request.user, event=event)
    except EventRegistration.DoesNotExist as exc:
        raise Http404 from exc
    except LearningError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect(shown.url)


@login_required
@require_POST
def check_in(request, event_id: int):
    shown, event = _event_or_404(event_id)
    try:
        attendance_by_code(user=request.user, event=event, code=request.POST.get("code", ""))
    except LearningError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("You are checked in. %(hours)s learning hours have been added to your record.")
            % {"hours": event.declared_hours},
        )
    return redirect(shown.url + "#event-status")


# --- the calendar file (RFC 5545) -------------------------------------------------------------------


def _ics_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and line breaks."""
    value = str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _ics_fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, never inside a UTF-8 character."""
    pieces, current, limit = [], b"", 75
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > limit:
            pieces.append(current.decode())
            current, limit = b"", 74  # a continuation line starts with one space
        current += encoded
    pieces.append(current.decode())
    return "\r\n ".join(pieces)


def _ics_time(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def registration_ics(
    *,
    registration: EventRegistration,
    shown: TrainingEventPage,
    event: TrainingEventPage,
    url: str,
    host: str,
    now: datetime.datetime,
) -> str:
    """One VEVENT for one registration; times from the source event, words in the page's language."""
    region = shown.venue_region
    description = "\n".join(
        part
        for part in (
            shown.summary,
            _("Learning hours: %(hours)s") % {"hours": event.declared_hours},
            _("Registration: %(status)s") % {"status": registration.get_status_display()},
            url,
        )
        if part
    )
    status = "TENTATIVE" if registration.status == RegistrationStatus.WAITLISTED else "CONFIRMED"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Rural Digital Talent Platform//Training events//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}-registration-{registration.pk}@{host}",
        f"DTSTAMP:{_ics_time(now)}",
        f"DTSTART:{_ics_time(event.starts_at)}",
        f"DTEND:{_ics_time(event.ends_at)}",
        f"SUMMARY:{_ics_text(shown.title)}",
        f"LOCATION:{_ics_text(f'{region.name} {event.venue_address}')}",
        f"DESCRIPTION:{_ics_text(description)}",
        f"URL:{url}",
        f"STATUS:{status}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_ics_fold(line) + "\r\n" for line in lines)


@login_required
@require_GET
def calendar(request, event_id: int):
    shown, event = _event_or_404(event_id)
    registration = (
        EventRegistration.objects.filter(event=event, user=request.user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
    )
    if registration is None:
        raise Http404
    body = registration_ics(
        registration=registration,
        shown=shown,
        event=event,
        url=request.build_absolute_uri(shown.url),
        host=request.get_host().split(":")[0],
        now=timezone.now(),
    )
    response = HttpResponse(body.encode(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    response["Cache-Control"] = "private, no-cache"
    return response


# --- organisers ----------------------------------------------------------------------------------


@login_required
@never_cache
def roster(request, event_id: int):
    shown, event = _organised_event_or_404(request, event_id)
    context = {"page": shown, "event": event, **event_roster(event=event)}
    return render(request, "training/events/roster.html", context)


@login_required
@require_POST
def roster_mark(request, event_id: int, registration_id: int):
    shown, event = _organised_event_or_404(request, event_id)
    registration = get_object_or_404(
        EventRegistration.objects.select_related("user"), pk=registration_id, event=event
    )
    try:
        attendance_record(organiser=request.user, event=event, user=registration.user)
    except LearningError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("%(name)s is marked as present.") % {"name": registration.user})
    return redirect(
        reverse("training:event_roster", args=[shown.pk]) + f"#person-{registration.pk}"
    )


@login_required
@never_cache
def code_screen(request, event_id: int):
    shown, event = _organised_event_or_404(request, event_id)
    current = attendance_code(event=event)
    context = {
        "page": shown,
        "event": event,
        "code": current,
        "attended_count": attended_count(event=event),
    }
    return render(request, "training/events/code_screen.html", context)


@login_required
@never_cache
@require_GET
def code_json(request, event_id: int):
    _shown, event = _organised_event_or_404(request, event_id)
    current = attendance_code(event=event)
    return JsonResponse(
        {
            "code": current.code,
            "seconds_left": current.seconds_left,
            "attended": attended_count(event=event),
        }
    )
