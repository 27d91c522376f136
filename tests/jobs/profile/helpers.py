"""Builders for applications, offers and placements around a graduate (plain functions)."""

import datetime

from django.utils import timezone

from jobs.choices import ApplicationStatus, OfferStatus, PlacementStatus
from jobs.models import Application, ApplicationEvent, Offer, Placement
from tests.factories import PASSWORD
from tests.jobs.builders import MEIXIAN, make_post, make_round, villages_of


def apply(user, *, county: str = MEIXIAN, status: str = ApplicationStatus.SUBMITTED) -> Application:
    round_ = make_round(county)
    post = make_post(round_, villages_of(county)[1])
    application = Application.objects.create(round=round_, applicant=user, status=status)
    application.preferences.create(post=post, rank=1)
    ApplicationEvent.objects.create(application=application, to_status=status)
    return application


def place(user, *, county: str = MEIXIAN) -> Placement:
    application = apply(user, county=county, status=ApplicationStatus.IN_SERVICE)
    post = application.preferences.get().post
    offer = Offer.objects.create(
        application=application,
        post=post,
        status=OfferStatus.ACCEPTED,
        reply_deadline=timezone.now() + datetime.timedelta(days=3),
    )
    return Placement.objects.create(
        offer=offer,
        user=user,
        post=post,
        village=post.village,
        status=PlacementStatus.IN_SERVICE,
        start_date=datetime.date(2026, 9, 1),
        term_end=datetime.date(2029, 8, 31),
    )


REAUTH_URL = "/zh-hans/accounts/reauthenticate/"


def reauthenticate(client, prompt_url: str = REAUTH_URL):
    """Answer allauth's password prompt at `prompt_url` (the redirect's Location, which names
    the suspended request as `next`); returns the response (the resumed request, if any)."""
    return client.post(prompt_url, {"password": PASSWORD})
