"""Training events: registration with a waiting list, and attendance taken by the organiser.

Places are never overbooked: every change to an event's registrations first locks the event's
row (its base page row), so concurrent registrations for one event queue behind each other and
each counts the places that are really left. On SQLite, transactions start IMMEDIATE and
serialise writers the same way.

Attendance is recorded by the organiser, on a roster or with a rotating six-digit code shown on
the organiser's screen and typed by the learner on their phone. Either way the event's hours are
credited to the learner's ledger exactly once.
"""

import datetime
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wagtail.models import Page

from accounts.models import User
from accounts.scope import region_in_staff_scope
from core.email import email_send

from ..canonical import canonical, localized
from ..choices import RegistrationStatus
from ..models import EventRegistration, TrainingEventPage
from .learning import LearningError, hours_credit

# The organiser's code changes every 30 seconds; the current and the previous one are accepted,
# so a code read off the screen stays good for between 30 and 60 seconds.
CODE_PERIOD_SECONDS = 30
CODE_DIGITS = 6
# Check-in by code is open from this long before the start until this long after the end.
CHECK_IN_MARGIN = datetime.timedelta(minutes=30)
# Wrong codes allowed per learner and event before check-in by code pauses for a while.
CODE_MAX_FAILURES = 5
CODE_FAILURE_WINDOW_SECONDS = 5 * 60

ACTIVE = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED, RegistrationStatus.ATTENDED)
HOLDS_PLACE = (RegistrationStatus.REGISTERED, RegistrationStatus.ATTENDED)


def _local(value: datetime.datetime) -> str:
    return date_format(timezone.localtime(value), "Y-m-d H:i")


def _lock_event(event: TrainingEventPage) -> None:
    """Queue behind any other registration change for this event until the transaction ends.

    The lock is on the event's row in wagtailcore_page. FOR NO KEY UPDATE conflicts with itself
    but not with the key-share locks that inserts referencing the page take.
    """
    list(
        Page.objects.select_for_update(no_key=True).filter(pk=event.pk).values_list("pk", flat=True)
    )


def places_taken(event: TrainingEventPage) -> int:
    return EventRegistration.objects.filter(event=event, status__in=HOLDS_PLACE).count()


# --- registration -----------------------------------------------------------------------------


def event_register(
    *, user: User, event: TrainingEventPage, now: datetime.datetime | None = None
) -> EventRegistration:
    """Register `user` for `event`: a place while there are places, else the waiting list.

    Idempotent: an active registration is returned unchanged. A cancelled one registers again
    and joins the end of the queue. The registration returned has `.created`: True when this
    call made (or renewed) it, False when it already existed.
    """
    event = canonical(event)
    now = now or timezone.now()
    if not event.live:
        raise LearningError(_("This event is not open for registration."))
    if now < event.registration_opens:
        raise LearningError(
            _("Registration opens on %(when)s.") % {"when": _local(event.registration_opens)}
        )
    if now > event.registration_closes:
        raise LearningError(
            _("Registration for this event closed on %(when)s.")
            % {"when": _local(event.registration_closes)}
        )
    with transaction.atomic():
        _lock_event(event)
        registration = EventRegistration.objects.filter(event=event, user=user).first()
        if registration is not None and registration.status in ACTIVE:
            registration.created = False
            return registration
        # People already waiting come first, should places have opened up (capacity raised).
        _fill_places(event=event)
        status = (
            RegistrationStatus.REGISTERED
            if places_taken(event) < event.capacity
            else RegistrationStatus.WAITLISTED
        )
        if registration is None:
            registration = EventRegistration(event=event, user=user)
        registration.status = status
        registration.created_at = now
        registration.attended_at = None
        registration.full_clean(validate_unique=False, validate_constraints=False)
        registration.save()
    registration.created = True
    return registration


def event_cancel(
    *, user: User, event: TrainingEventPage, now: datetime.datetime | None = None
) -> EventRegistration:
    """Give up a place or leave the waiting list; a freed place goes to the first person waiting.

    Raises EventRegistration.DoesNotExist when `user` never registered. Cancelling twice
    returns the cancelled registration.
    """
    event = canonical(event)
    now = now or timezone.now()
    with transaction.atomic():
        _lock_event(event)
        # Locked too: a check-in racing with the cancellation is seen before deciding.
        registration = EventRegistration.objects.select_for_update().get(event=event, user=user)
        if registration.status == RegistrationStatus.CANCELLED:
            return registration
        if registration.status == RegistrationStatus.ATTENDED:
            raise LearningError(
                _("Your attendance is already recorded: this registration cannot be cancelled.")
            )
        if now >= event.starts_at:
            raise LearningError(
                _("The event has started: registrations can no longer be cancelled.")
            )
        freed = registration.status == RegistrationStatus.REGISTERED
        registration.status = RegistrationStatus.CANCELLED
        registration.save(update_fields=["status"])
        if freed:
            _fill_places(event=event)
    return registration


def _fill_places(*, event: TrainingEventPage) -> list[EventRegistration]:
    """Move people from the waiting list into free places, first come first served, and tell them.

    Call with the event locked.
    """
    free = event.capacity - places_taken(event)
    if free <= 0:
        return []
    promoted = list(
        EventRegistration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED)
        .select_related("user")
        .order_by("created_at", "pk")[:free]
    )
    if promoted:
        EventRegistration.objects.filter(pk__in=[r.pk for r in promoted]).update(
            status=RegistrationStatus.REGISTERED
        )
    for registration in promoted:
        registration.status = RegistrationStatus.REGISTERED
        _email_promoted(registration=registration, event=event)
    return promoted


def _email_promoted(*, registration: EventRegistration, event: TrainingEventPage) -> None:
    user = registration.user
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        shown = localized(event)
        site = shown.get_site()
        root = site.root_url if site else settings.WAGTAILADMIN_BASE_URL
        email_send(
            to=[user.email],
            template="training/email/event_promoted",
            context={
                "user": user,
                "event": shown,
                "starts_at": _local(event.starts_at),
                "link": shown.get_full_url(),
                "calendar_link": root + reverse("training:event_calendar", args=[shown.pk]),
            },
        )


# --- organisers and attendance ------------------------------------------------------------------


def is_event_organiser(user: User, event: TrainingEventPage) -> bool:
    """HR officers and training editors whose scope holds the venue, and administrators."""
    return region_in_staff_scope(user, event.venue_region)


def event_organiser_check(*, user: User, event: TrainingEventPage) -> None:
    """404 unless `user` organises `event`: an event outside one's scope is reported as missing."""
    if not is_event_organiser(user, event):
        raise Http404


def check_in_open(event: TrainingEventPage, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return event.starts_at - CHECK_IN_MARGIN <= now <= event.ends_at + CHECK_IN_MARGIN


def _attend(*, event: TrainingEventPage, user: User, now: datetime.datetime) -> EventRegistration:
    with transaction.atomic():
        registration = (
            EventRegistration.objects.select_for_update().filter(event=event, user=user).first()
        )
        if registration is None or registration.status not in HOLDS_PLACE:
            raise LearningError(_("This person does not hold a place at this event."))
        if registration.status != RegistrationStatus.ATTENDED:
            registration.status = RegistrationStatus.ATTENDED
            registration.attended_at = now
            registration.save(update_fields=["status", "attended_at"])
        hours_credit(user_id=user.pk, event=event, when=now)
    return registration


def attendance_record(
    *, organiser: User, event: TrainingEventPage, user: User, now: datetime.datetime | None = None
) -> EventRegistration:
    """The organiser marks a registered person as present (the roster). Hours are credited once."""
    event = canonical(event)
    now = now or timezone.now()
    event_organiser_check(user=organiser, event=event)
    if now < event.starts_at - CHECK_IN_MARGIN:
        raise LearningError(
            _("Attendance can be recorded from 30 minutes before the event starts.")
        )
    return _attend(event=event, user=user, now=now)


@dataclass(frozen=True)
class AttendanceCode:
    code: str
    seconds_left: int


def _code_for_window(secret: str, window: int) -> str:
    """HMAC-SHA256 of the 30-second window number, truncated to six digits as in RFC 4226."""
    digest = hmac.new(secret.encode(), str(window).encode(), hashlib.sha256).digest()
    offset = digest[-1] & 0x0F
    number = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{number % 10**CODE_DIGITS:0{CODE_DIGITS}d}"


def _window(now: datetime.datetime) -> int:
    return int(now.timestamp()) // CODE_PERIOD_SECONDS


def attendance_code(
    *, event: TrainingEventPage, now: datetime.datetime | None = None
) -> AttendanceCode:
    """The code the organiser's screen shows now, and how many seconds until it changes."""
    event = canonical(event)
    now = now or timezone.now()
    seconds_left = CODE_PERIOD_SECONDS - int(now.timestamp()) % CODE_PERIOD_SECONDS
    return AttendanceCode(_code_for_window(event.attendance_secret, _window(now)), seconds_left)


def _code_valid(event: TrainingEventPage, code: str, now: datetime.datetime) -> bool:
    current = _window(now)
    # Compare with both windows every time, so the answer takes the same time either way.
    matches = [
        hmac.compare_digest(_code_for_window(event.attendance_secret, w), code)
        for w in (current, current - 1)
    ]
    return any(matches)


def _failures_key(event: TrainingEventPage, user: User) -> str:
    return f"event-code-failures:{event.pk}:{user.pk}"


def attendance_by_code(
    *, user: User, event: TrainingEventPage, code: str, now: datetime.datetime | None = None
) -> EventRegistration:
    """A registered learner checks in with the code on the organiser's screen."""
    event = canonical(event)
    now = now or timezone.now()
    code = "".join((code or "").split())
    if not check_in_open(event, now):
        raise LearningError(
            {
                "code": _(
                    "Check-in opens 30 minutes before the event starts and closes 30 minutes after it ends."
                )
            }
        )
    registration = EventRegistration.objects.filter(event=event, user=user).first()
    if registration is None or registration.status not in HOLDS_PLACE:
        raise LearningError(
            {"code": _("You do not hold a place at this event, so you cannot check in.")}
        )
    if registration.status == RegistrationStatus.ATTENDED:
        return registration
    key = _failures_key(event, user)
    if (cache.get(key) or 0) >= CODE_MAX_FAILURES:
        raise LearningError(
            {
                "code": _(
                    "Too many wrong codes. Wait five minutes, or ask the organiser to mark you on the roster."
                )
            }
        )
    if len(code) != CODE_DIGITS or not code.isdigit():
        raise LearningError({"code": _("Type the six digits shown on the organiser's screen.")})
    if not _code_valid(event, code, now):
        cache.add(key, 0, CODE_FAILURE_WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, CODE_FAILURE_WINDOW_SECONDS)
        raise LearningError(
            {
                "code": _(
                    "This code is wrong or has expired. Type the code shown on the organiser's screen now."
                )
            }
        )
    cache.delete(key)
    return _attend(event=event, user=user, now=now)
