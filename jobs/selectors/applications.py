"""Reads for graduates' applications: their list, one application with its timeline, the next
step and its date, and which villages are covered by an operator in post."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import PLACEMENT_ACTIVE, ApplicationStatus, OfferStatus
from ..models import Application, Offer, Placement, Post, Preference, RecruitmentRound


def applications_of(user) -> QuerySet[Application]:
    """The user's applications, newest first, with round and open offer (no N+1)."""
    return (
        Application.objects.filter(applicant=user)
        .select_related("round__region")
        .prefetch_related(
            Prefetch(
                "offers",
                queryset=Offer.objects.select_related("post__village").order_by("-created_at"),
            )
        )
        .order_by("-submitted_at")
    )


def application_of_user_or_404(user, pk: int) -> Application:
    """One of the user's own applications, with preferences and timeline; another's is a 404."""
    return get_object_or_404(
        Application.objects.filter(applicant=user)
        .select_related("round__region", "applicant")
        .prefetch_related(
            Prefetch(
                "preferences",
                queryset=Preference.objects.select_related("post__village__parent").order_by(
                    "rank"
                ),
            ),
            "events",
            Prefetch(
                "offers",
                queryset=Offer.objects.select_related("post__village", "placement").order_by(
                    "-created_at"
                ),
            ),
        ),
        pk=pk,
    )


def offer_of_user_or_404(user, pk: int) -> Offer:
    return get_object_or_404(Offer.objects.filter(application__applicant=user), pk=pk)


def application_for_round(user, round_: RecruitmentRound) -> Application | None:
    return Application.objects.filter(applicant=user, round=round_).first()


def round_posts(round_: RecruitmentRound, *, q: str = "") -> QuerySet[Post]:
    """A round's posts for the application form, searchable by village or township name."""
    posts = (
        Post.objects.filter(round=round_)
        .select_related("village__parent")
        .prefetch_related("majors")
        .order_by("village__path")
    )
    q = (q or "").strip()[:30]
    if q:
        posts = posts.filter(Q(village__name__contains=q) | Q(village__parent__name__contains=q))
    return posts


def current_offer(application: Application) -> Offer | None:
    """The pending or accepted offer (from a prefetched `offers`), else the latest one."""
    offers = list(application.offers.all())
    for offer in offers:
        if offer.status in {OfferStatus.PENDING, OfferStatus.ACCEPTED}:
            return offer
    return offers[0] if offers else None


@dataclass(frozen=True)
class NextStep:
    label: str
    date: datetime.date | datetime.datetime | None


def _local(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value)
    return value


def application_next_step(application: Application) -> NextStep | None:
    """What happens next and when, from the round's stage dates (None once nothing follows)."""
    round_ = application.round
    status = application.status
    if status == ApplicationStatus.SUBMITTED:
        if round_.applications_window_open():
            return NextStep(
                _("You can change your ranking or withdraw until applications close"),
                _local(round_.applications_close_at),
            )
        return NextStep(_("Eligibility review ends"), round_.eligibility_review_until)
    if status == ApplicationStatus.ELIGIBLE:
        return NextStep(_("Exam and interview scores are entered by"), round_.scores_until)
    if status == ApplicationStatus.SCORED:
        return NextStep(_("Matching of applicants to posts"), round_.matching_on)
    if status == ApplicationStatus.MATCHED:
        return NextStep(_("An offer will follow"), None)
    if status == ApplicationStatus.UNMATCHED:
        return NextStep(_("You may still be offered a post when a place re-opens (backfill)"), None)
    if status == ApplicationStatus.OFFERED:
        offer = current_offer(application)
        if offer and offer.status == OfferStatus.PENDING:
            return NextStep(_("Reply to the offer by"), _local(offer.reply_deadline))
        return None
    if status in {ApplicationStatus.ACCEPTED, ApplicationStatus.PUBLIC_NOTICE}:
        return NextStep(_("Onboarding"), round_.onboarding_on)
    if status == ApplicationStatus.ONBOARDED:
        return NextStep(_("Service begins"), round_.onboarding_on)
    if status == ApplicationStatus.IN_SERVICE:
        offer = current_offer(application)
        placement = getattr(offer, "placement", None) if offer else None
        return NextStep(_("Service term ends"), placement.term_end if placement else None)
    return None


def covered_village_ids(villages: QuerySet | None = None) -> QuerySet:
    """Ids of villages with an operator in post (a placement on notice, onboarded or in service)."""
    placements = Placement.objects.filter(status__in=PLACEMENT_ACTIVE)
    if villages is not None:
        placements = placements.filter(village__in=villages)
    return placements.values_list("village_id", flat=True).distinct()


def village_is_covered(village) -> bool:
    return Placement.objects.filter(village=village, status__in=PLACEMENT_ACTIVE).exists()
