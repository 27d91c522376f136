"""A graduate's applications and offers.

Every endpoint acts for the caller only: another person's application or offer is a 404. The
input schemas hold only what a client may choose (the round when applying, the ranked posts, a
reason); `status`, `user`, `applicant` or anything else sent is ignored. Errors are the usual
JSON `{code, message, errors: [{field, message}]}`; the ranked posts' errors name the field
`preferences`.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ninja import Router, Schema, Status

from api.auth import token_or_session
from api.schemas import ErrorOut
from jobs.choices import RoundStage
from jobs.models import Application, RecruitmentRound
from jobs.selectors.applications import (
    application_next_step,
    application_of_user_or_404,
    applications_of,
    current_offer,
    offer_of_user_or_404,
)
from jobs.services.applications import (
    application_submit,
    application_update_preferences,
    application_withdraw,
)
from jobs.services.offers import offer_accept, offer_decline

router = Router(tags=["jobs"])
ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class PreferenceOut(Schema):
    rank: int
    post_id: int
    village_code: str
    village_name: str


class EventOut(Schema):
    from_status: str
    to_status: str
    reason: str
    at: datetime.datetime


class OfferOut(Schema):
    id: int
    post_id: int
    village_name: str
    status: str
    reply_deadline: datetime.datetime
    responded_at: datetime.datetime | None


class NextStepOut(Schema):
    label: str
    date: datetime.date | datetime.datetime | None


class ApplicationOut(Schema):
    id: int
    round_id: int
    round_name: str
    status: str
    status_label: str
    submitted_at: datetime.datetime
    preferences: list[PreferenceOut]
    events: list[EventOut]
    offer: OfferOut | None
    next_step: NextStepOut | None


class ApplicationSummaryOut(Schema):
    id: int
    round_id: int
    round_name: str
    status: str
    status_label: str
    submitted_at: datetime.datetime
    next_step: NextStepOut | None


class ApplicationIn(Schema):
    round: int
    preferences: list[int]


class PreferencesIn(Schema):
    preferences: list[int]


class WithdrawIn(Schema):
    reason: str = ""


class PlacementOut(Schema):
    id: int
    village_code: str
    village_name: str
    status: str
    start_date: datetime.date
    term_end: datetime.date


def _offer_out(offer) -> dict | None:
    if offer is None:
        return None
    return {
        "id": offer.pk,
        "post_id": offer.post_id,
        "village_name": offer.post.village.name,
        "status": offer.status,
        "reply_deadline": offer.reply_deadline,
        "responded_at": offer.responded_at,
    }


def _next_out(application) -> dict | None:
    step = application_next_step(application)
    return None if step is None else {"label": step.label, "date": step.date}


def _summary(application: Application) -> dict:
    return {
        "id": application.pk,
        "round_id": application.round_id,
        "round_name": application.round.name,
        "status": application.status,
        "status_label": application.get_status_display(),
        "submitted_at": application.submitted_at,
        "next_step": _next_out(application),
    }


def _detail(user, application_id: int) -> dict:
    application = application_of_user_or_404(user, application_id)
    return {
        **_summary(application),
        "preferences": [
            {
                "rank": p.rank,
                "post_id": p.post_id,
                "village_code": p.post.village.code,
                "village_name": p.post.village.name,
            }
            for p in application.preferences.all()
        ],
        "events": [
            {"from_status": e.from_status, "to_status": e.to_status, "reason": e.reason, "at": e.at}
            for e in application.events.all()
        ],
        "offer": _offer_out(current_offer(application)),
    }


@router.get(
    "/me/applications",
    response={200: list[ApplicationSummaryOut], 401: ErrorOut},
    auth=token_or_session,
    summary="The caller's applications",
)
def my_applications(request):
    return [_summary(a) for a in applications_of(request.user)]


@router.post(
    "/applications",
    response={201: ApplicationOut, **ERRORS},
    auth=token_or_session,
    summary="Apply to a round with ranked posts (first choice first)",
)
def application_create(request, payload: ApplicationIn):
    round_ = (
        RecruitmentRound.objects.select_related("region")
        .exclude(stage=RoundStage.DRAFT)
        .filter(pk=payload.round)
        .first()
    )
    if round_ is None:
        raise ValidationError({"round": _("There is no such recruitment round.")})
    application = application_submit(
        user=request.user, round_=round_, post_ids=payload.preferences, request=request
    )
    return Status(201, _detail(request.user, application.pk))


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationOut, **ERRORS},
    auth=token_or_session,
    summary="One of the caller's applications, with its timeline and offer",
)
def application_get(request, application_id: int):
    return _detail(request.user, application_id)


@router.put(
    "/applications/{application_id}/preferences",
    response={200: ApplicationOut, **ERRORS},
    auth=token_or_session,
    summary="Replace the ranking (while applications are open)",
)
def application_preferences_put(request, application_id: int, payload: PreferencesIn):
    application = application_of_user_or_404(request.user, application_id)
    application_update_preferences(
        application=application,
        user=request.user,
        post_ids=payload.preferences,
        request=request,
    )
    return _detail(request.user, application_id)


@router.post(
    "/applications/{application_id}/withdraw",
    response={200: ApplicationOut, **ERRORS},
    auth=token_or_session,
    summary="Withdraw (before matching; a pending offer is declined)",
)
def application_withdraw_post(request, application_id: int, payload: WithdrawIn | None = None):
    application = application_of_user_or_404(request.user, application_id)
    application_withdraw(
        application=application,
        user=request.user,
        reason=payload.reason if payload else "",
        request=request,
    )
    return _detail(request.user, application_id)


@router.post(
    "/offers/{offer_id}/accept",
    response={200: PlacementOut, **ERRORS},
    auth=token_or_session,
    summary="Accept an offer before its reply deadline: creates the placement",
)
def offer_accept_post(request, offer_id: int):
    offer = offer_of_user_or_404(request.user, offer_id)
    placement = offer_accept(offer=offer, user=request.user, request=request)
    return {
        "id": placement.pk,
        "village_code": placement.village.code,
        "village_name": placement.village.name,
        "status": placement.status,
        "start_date": placement.start_date,
        "term_end": placement.term_end,
    }


@router.post(
    "/offers/{offer_id}/decline",
    response={200: OfferOut, **ERRORS},
    auth=token_or_session,
    summary="Decline an offer (the post re-opens for backfill)",
)
def offer_decline_post(request, offer_id: int):
    offer = offer_of_user_or_404(request.user, offer_id)
    offer = offer_decline(offer=offer, user=request.user, request=request)
    return _offer_out(offer)
