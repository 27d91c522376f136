"""Offers: created by matching, answered by the graduate before the reply deadline.

The offer row is locked (`select_for_update`) for every answer, so accepting twice (two taps,
two tabs) makes one placement and a clear message for the second. An answer after the deadline
marks the offer expired and says so; `offers_expire_due` does the same for every offer nobody
answered (a periodic task). A declined, expired or withdrawn offer re-opens its post for the
next matching pass (backfill).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..choices import APPLICATION_CLOSED, ApplicationStatus, OfferStatus
from ..models import Application, Offer, Placement, Post
from .status import application_transition, in_language

# Stored in the applicant's language (also by the bulk approval of a match run).
R_OFFERED = gettext_noop("Offered: %(village)s; reply by %(deadline)s.")


def _deadline_text(offer: Offer) -> str:
    return timezone.localtime(offer.reply_deadline).strftime("%Y-%m-%d %H:%M")


def offer_create(
    *,
    application: Application,
    post: Post,
    match_run=None,
    reply_deadline: datetime.datetime | None = None,
    actor=None,
    notify: bool = True,
) -> Offer:
    """Offer `post` to `application` (PENDING) and move the application to OFFERED.

    `reply_deadline` defaults to now + the round's `offer_reply_days`. Raises ValidationError
    when the post is of another round, the application is closed, or it already holds an open
    (pending or accepted) offer.
    """
    round_ = application.round
    if post.round_id != application.round_id:
        raise ValidationError({"post": _("The post is not a post of the application's round.")})
    if application.status in APPLICATION_CLOSED or application.status in {
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.PUBLIC_NOTICE,
        ApplicationStatus.ONBOARDED,
        ApplicationStatus.IN_SERVICE,
    }:
        raise ValidationError(
            {
                "application": _("An application that is “%(status)s” cannot receive an offer.")
                % {"status": application.get_status_display()}
            }
        )
    now = timezone.now()
    deadline = reply_deadline or now + datetime.timedelta(days=round_.offer_reply_days)
    with transaction.atomic():
        try:
            with transaction.atomic():
                offer = Offer.objects.create(
                    application=application,
                    post=post,
                    match_run=match_run,
                    status=OfferStatus.PENDING,
                    created_at=now,
                    reply_deadline=deadline,
                )
        except IntegrityError:
            raise ValidationError(
                {"application": _("This application already holds an open offer.")}
            ) from None
        offer.application = application
        application_transition(
            application=application,
            to_status=ApplicationStatus.OFFERED,
            actor=actor,
            reason=in_language(
                application.applicant.preferred_language,
                R_OFFERED,
                {"village": post.village.name, "deadline": _deadline_text(offer)},
            ),
            notify=notify,
        )
    return offer


def _locked_offer(offer: Offer, user) -> Offer:
    locked = (
        Offer.objects.select_for_update(of=("self",))
        .select_related("application__round__region", "application__applicant", "post__village")
        .get(pk=offer.pk)
    )
    if locked.application.applicant_id != user.pk:
        raise PermissionDenied
    return locked


def _answered(offer: Offer) -> ValidationError:
    messages = {
        OfferStatus.ACCEPTED: _("You have already accepted this offer."),
        OfferStatus.DECLINED: _("You have already declined this offer."),
        OfferStatus.EXPIRED: _("This offer expired on %(deadline)s.")
        % {"deadline": _deadline_text(offer)},
        OfferStatus.WITHDRAWN: _("This offer has been withdrawn."),
    }
    return ValidationError(messages.get(offer.status, _("This offer is closed.")), code="answered")


def _expire(offer: Offer, *, now: datetime.datetime) -> None:
    offer.status = OfferStatus.EXPIRED
    offer.responded_at = None
    offer.save(update_fields=["status", "responded_at"])
    if offer.application.status == ApplicationStatus.OFFERED:
        application_transition(
            application=offer.application,
            to_status=ApplicationStatus.EXPIRED,
            reason=in_language(
                offer.application.applicant.preferred_language,
                gettext_noop("No reply by %(deadline)s; the post re-opens for backfill."),
                {"deadline": _deadline_text(offer)},
            ),
        )


def _answer(*, offer: Offer, user, accept: bool, request=None):
    now = timezone.now()
    with transaction.atomic():
        offer = _locked_offer(offer, user)
        if offer.status != OfferStatus.PENDING:
            raise _answered(offer)
        if now >= offer.reply_deadline:
            _expire(offer, now=now)
        else:
            offer.status = OfferStatus.ACCEPTED if accept else OfferStatus.DECLINED
            offer.responded_at = now
            offer.save(update_fields=["status", "responded_at"])
            if accept:
                from .placements import placement_create

                return placement_create(offer=offer, actor=user, request=request)
            application_transition(
                application=offer.application,
                to_status=ApplicationStatus.DECLINED,
                actor=user,
                reason=in_language(
                    offer.application.applicant.preferred_language,
                    gettext_noop("Declined: %(village)s; the post re-opens for backfill."),
                    {"village": offer.post.village.name},
                ),
                request=request,
            )
            return offer
    # Only an expired offer gets here, committed above: it stays expired, the answer is refused.
    raise _answered(offer)


def offer_accept(*, offer: Offer, user, request=None) -> Placement:
    """Accept: one placement, the application ACCEPTED, the graduate an operator."""
    return _answer(offer=offer, user=user, accept=True, request=request)


def offer_decline(*, offer: Offer, user, request=None) -> Offer:
    """Decline: the application DECLINED, the post open for backfill."""
    return _answer(offer=offer, user=user, accept=False, request=request)


def offers_expire_due(*, now: datetime.datetime | None = None) -> int:
    """Mark every pending offer past its deadline EXPIRED (and its application). Returns how many."""
    now = now or timezone.now()
    count = 0
    due = list(
        Offer.objects.filter(status=OfferStatus.PENDING, reply_deadline__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in due:
        with transaction.atomic():
            offer = (
                Offer.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("application__round__region", "application__applicant", "post")
                .filter(pk=pk, status=OfferStatus.PENDING)
                .first()
            )
            if offer is None:
                continue
            _expire(offer, now=now)
            count += 1
    return count
