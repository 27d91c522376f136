"""Builders for the HR tests: applications created directly (Application + Preference rows)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from jobs.choices import ApplicationStatus, OfferStatus
from jobs.models import Application, Offer, Placement, Preference
from tests.jobs.builders import make_graduate

MEIXIAN = "441403"
TIANHE = "440106"


def make_application(
    round_,
    posts,
    *,
    graduate=None,
    status=ApplicationStatus.SUBMITTED,
    submitted_at=None,
    written=None,
    interview=None,
    **graduate_fields,
) -> Application:
    graduate = graduate or make_graduate(**graduate_fields)
    application = Application.objects.create(
        round=round_,
        applicant=graduate,
        status=status,
        submitted_at=submitted_at or timezone.now(),
        written_score=Decimal(str(written)) if written is not None else None,
        interview_score=Decimal(str(interview)) if interview is not None else None,
    )
    Preference.objects.bulk_create(
        Preference(application=application, post=post, rank=rank)
        for rank, post in enumerate(posts, start=1)
    )
    return application


def accept_offer(application: Application, post) -> Offer:
    """An accepted offer with its placement, as the offers service leaves them."""
    application.status = ApplicationStatus.ACCEPTED
    application.save(update_fields=["status"])
    offer = Offer.objects.create(
        application=application,
        post=post,
        status=OfferStatus.ACCEPTED,
        reply_deadline=timezone.now() + datetime.timedelta(days=3),
        responded_at=timezone.now(),
    )
    Placement.objects.create(
        offer=offer,
        user=application.applicant,
        post=post,
        village=post.village,
        start_date=timezone.localdate(),
        term_end=timezone.localdate() + datetime.timedelta(days=730),
    )
    return offer
