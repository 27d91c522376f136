"""Placements: a graduate in post at a village.

An accepted offer creates the placement (start date: the round's onboarding date, else today;
term end: start + the post's service term), makes the graduate an operator, enrols them in the
round's in-service courses (source "assigned"), and from then on the village counts as covered
(`jobs.selectors.applications.covered_village_ids`). HR officers in scope move it on:
public notice → onboarded → in service → term completed, or left at any point; the application's
status follows, with its timeline, audit record and e-mail. When the placement ends the graduate
stops being an operator, unless they hold another placement.
"""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.choices import Role
from accounts.scope import region_in_scope
from accounts.services import role_grant, role_revoke

from ..choices import ApplicationStatus, PlacementStatus
from ..models import Offer, Placement
from .status import application_transition, in_language

# Where an HR officer may move a placement from each status.
PLACEMENT_NEXT = {
    PlacementStatus.PUBLIC_NOTICE: {PlacementStatus.ONBOARDED, PlacementStatus.LEFT},
    PlacementStatus.ONBOARDED: {PlacementStatus.IN_SERVICE, PlacementStatus.LEFT},
    PlacementStatus.IN_SERVICE: {PlacementStatus.COMPLETED, PlacementStatus.LEFT},
    PlacementStatus.COMPLETED: set(),
    PlacementStatus.LEFT: set(),
}


ENDED = {PlacementStatus.COMPLETED, PlacementStatus.LEFT}


def _serving_elsewhere(placement: Placement) -> bool:
    return (
        Placement.objects.filter(user_id=placement.user_id)
        .exclude(pk=placement.pk)
        .exclude(status__in=ENDED)
        .exists()
    )


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _assign_in_service_courses(*, placement: Placement) -> int:
    """Enrol the new operator in the round's in-service courses; returns how many were new."""
    from training.canonical import canonical
    from training.choices import EnrollmentSource
    from training.services.learning import enrollment_create

    created = 0
    for course in placement.post.round.in_service_courses.all():
        course = canonical(course)
        if not course.live:
            continue
        _enrollment, new = enrollment_create(
            user=placement.user, course=course, source=EnrollmentSource.ASSIGNED
        )
        created += int(new)
    return created


def placement_create(*, offer: Offer, actor=None, request=None) -> Placement:
    """Called when `offer` is accepted (the offer row locked by the caller)."""
    application = offer.application
    post = offer.post
    round_ = application.round
    start = round_.onboarding_on or timezone.localdate()
    with transaction.atomic():
        placement = Placement.objects.create(
            offer=offer,
            user=application.applicant,
            post=post,
            village=post.village,
            status=PlacementStatus.PUBLIC_NOTICE,
            start_date=start,
            term_end=add_months(start, post.service_term_months),
        )
        application_transition(
            application=application,
            to_status=ApplicationStatus.ACCEPTED,
            actor=actor,
            reason=in_language(
                application.applicant.preferred_language,
                gettext_noop("Accepted: %(village)s, from %(start)s to %(end)s."),
                {
                    "village": post.village.name,
                    "start": placement.start_date.isoformat(),
                    "end": placement.term_end.isoformat(),
                },
            ),
            request=request,
        )
        role_grant(user=application.applicant, role=Role.OPERATOR)
        _assign_in_service_courses(placement=placement)
    return placement


def placement_next_statuses(placement: Placement) -> list[str]:
    """Where an HR officer may move `placement` now (the choices of its form)."""
    return [s for s in PlacementStatus.values if s in PLACEMENT_NEXT[placement.status]]


def placement_transition(
    *, placement: Placement, to_status: str, actor, reason: str = "", request=None
) -> Placement:
    """Move a placement on (an HR officer in the round's scope); the application follows.

    `to_status == PUBLIC_NOTICE` on a placement still on notice records that the public notice
    is published: only the application moves (ACCEPTED → PUBLIC_NOTICE).
    """
    with transaction.atomic():
        placement = (
            Placement.objects.select_for_update(of=("self",))
            .select_related("offer__application__round__region", "offer__application__applicant")
            .get(pk=placement.pk)
        )
        application = placement.offer.application
        if actor is not None and not region_in_scope(actor, application.round.region):
            raise Http404
        if to_status not in PlacementStatus.values:
            raise ValidationError({"status": _("Unknown status.")})
        notice_only = (
            to_status == PlacementStatus.PUBLIC_NOTICE
            and placement.status == PlacementStatus.PUBLIC_NOTICE
            and application.status == ApplicationStatus.ACCEPTED
        )
        if not notice_only and to_status not in PLACEMENT_NEXT[placement.status]:
            raise ValidationError(
                {
                    "status": _("A placement that is “%(from)s” cannot become “%(to)s”.")
                    % {
                        "from": placement.get_status_display(),
                        "to": PlacementStatus(to_status).label,
                    }
                }
            )
        if (
            to_status == PlacementStatus.ONBOARDED
            and application.status != ApplicationStatus.PUBLIC_NOTICE
        ):
            # Nobody takes up a post before the list of people to be hired has been public.
            raise ValidationError(
                {"status": _("Publish the public notice before the graduate is onboarded.")}
            )
        if not notice_only:
            placement.status = to_status
            fields = ["status"]
            if to_status in ENDED:
                placement.ended_at = timezone.localdate()
                placement.end_reason = reason.strip()[:200]
                fields += ["ended_at", "end_reason"]
            placement.save(update_fields=fields)
            if placement.status in ENDED and not _serving_elsewhere(placement):
                # An operator who has left has no station any more: they lose what the role
                # opens (the operator's courses and pages), keep their record and certificates.
                role_revoke(user=placement.user, role=Role.OPERATOR)
        if application.status != to_status:
            application_transition(
                application=application,
                to_status=to_status,
                actor=actor,
                reason=reason.strip()[:300],
                request=request,
            )
    return placement
