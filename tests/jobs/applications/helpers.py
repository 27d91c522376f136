"""Small helpers shared by the application tests."""

import datetime

from django.utils import timezone

from jobs.choices import ApplicationStatus
from jobs.models import Application
from jobs.services.applications import application_submit
from jobs.services.offers import offer_create
from jobs.services.status import application_transition


def submit(user, round_, posts):
    return application_submit(user=user, round_=round_, post_ids=[p.pk for p in posts])


def offered(user, round_, posts, *, deadline_in_days: float = 3):
    """An application with a pending offer of its first post."""
    application = submit(user, round_, posts)
    for status in (ApplicationStatus.ELIGIBLE, ApplicationStatus.SCORED, ApplicationStatus.MATCHED):
        application_transition(application=application, to_status=status, notify=False)
    offer = offer_create(
        application=Application.objects.get(pk=application.pk),
        post=posts[0],
        reply_deadline=timezone.now() + datetime.timedelta(days=deadline_in_days),
    )
    return offer
