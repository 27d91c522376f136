"""A graduate's application to a round: submit with ranked preferences, re-rank, withdraw.

Submitting checks, in this order: a complete profile, the round's application window, the
ranked list (not empty, at most the round's maximum, no post twice, every post of this round),
then the eligibility of every post; it saves nothing unless everything passes, and then saves
the application, its preferences and the first timeline event in one transaction. Two
submissions racing from two tabs meet the unique constraint (round, applicant): the second gets
"you have already applied" and the first stands.

Fields a client may not set (status, applicant, round of an existing application) are never
read from the client: these functions take only the ranked post ids.
"""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.choices import AuditAction

from ..choices import (
    APPLICATION_EDITABLE,
    ROUND_STAGE_ORDER,
    ApplicationStatus,
    OfferStatus,
    RoundStage,
)
from ..models import (
    Application,
    ApplicationEvent,
    GraduateProfile,
    Offer,
    Post,
    Preference,
    RecruitmentRound,
)
from .eligibility import posts_eligibility, posts_for_eligibility, profile_for_eligibility
from .status import application_status_email, application_transition

# Statuses from which an application may be withdrawn before matching (the window may be closed).
WITHDRAWABLE_BEFORE_MATCHING = frozenset(
    {ApplicationStatus.SUBMITTED, ApplicationStatus.ELIGIBLE, ApplicationStatus.SCORED}
)


def _already_applied() -> ValidationError:
    return ValidationError(
        {
            "round": _(
                "You have already applied to this round. You can change your ranking or "
                "withdraw on your application's page."
            )
        },
        code="already_applied",
    )


def _window_closed(round_: RecruitmentRound) -> ValidationError:
    if round_.applications_close_at and round_.applications_close_at <= timezone.now():
        message = _("Applications to this round closed on %(date)s.") % {
            "date": timezone.localtime(round_.applications_close_at).strftime("%Y-%m-%d %H:%M")
        }
    else:
        message = _("Applications to this round are not open.")
    return ValidationError({"round": message}, code="window_closed")


def _clean_post_ids(post_ids: Sequence, round_: RecruitmentRound) -> list[int]:
    """The ranked ids as integers, or a ValidationError on the list's shape."""
    ids: list[int] = []
    for raw in post_ids or []:
        try:
            ids.append(int(raw))
        except (TypeError, ValueError):
            raise ValidationError(
                {"preferences": _("“%(value)s” is not a post.") % {"value": raw}},
                code="invalid_post",
            ) from None
    if not ids:
        raise ValidationError(
            {"preferences": _("Choose at least one post.")}, code="no_preferences"
        )
    if len(ids) > round_.max_preferences:
        raise ValidationError(
            {
                "preferences": _(
                    "This round allows at most %(max)d ranked posts; you chose %(count)d."
                )
                % {"max": round_.max_preferences, "count": len(ids)}
            },
            code="too_many_preferences",
        )
    seen: set[int] = set()
    twice = [pk for pk in ids if pk in seen or seen.add(pk)]
    if twice:
        raise ValidationError(
            {"preferences": _("Each post may be ranked only once.")},
            code="duplicate_preferences",
        )
    return ids


def _checked_posts(
    *, profile: GraduateProfile, round_: RecruitmentRound, ids: list[int]
) -> list[Post]:
    """The posts in rank order, each of this round and eligible; else every problem at once."""
    posts = {p.pk: p for p in posts_for_eligibility(Post.objects.filter(pk__in=ids))}
    foreign = [pk for pk in ids if pk not in posts or posts[pk].round_id != round_.pk]
    if foreign:
        raise ValidationError(
            {
                "preferences": [
                    _("Post %(id)d is not a post of this round.") % {"id": pk} for pk in foreign
                ]
            },
            code="post_not_in_round",
        )
    ranked = [posts[pk] for pk in ids]
    failures = posts_eligibility(profile=profile, posts=ranked, round_=round_)
    problems = [
        _("%(village)s: %(reason)s") % {"village": post.village.name, "reason": failure.message}
        for post in ranked
        for failure in failures[post.pk]
    ]
    if problems:
        raise ValidationError({"preferences": problems}, code="not_eligible")
    return ranked


def _profile_or_error(user) -> GraduateProfile:
    profile = profile_for_eligibility(user)
    if profile is None:
        raise ValidationError(
            {"profile": _("Complete your graduate profile before applying.")},
            code="no_profile",
        )
    return profile


def application_submit(
    *,
    user,
    round_: RecruitmentRound,
    post_ids: Sequence,
    request=None,
) -> Application:
    """Apply to `round_` with the posts `post_ids`, first choice first."""
    profile = _profile_or_error(user)
    if not round_.applications_window_open():
        raise _window_closed(round_)
    ids = _clean_post_ids(post_ids, round_)
    if Application.objects.filter(round=round_, applicant=user).exists():
        raise _already_applied()
    posts = _checked_posts(profile=profile, round_=round_, ids=ids)
    now = timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    round=round_,
                    applicant=user,
                    status=ApplicationStatus.SUBMITTED,
                    submitted_at=now,
                )
        except IntegrityError:
            # Another tab won the race between the check above and this insert.
            raise _already_applied() from None
        Preference.objects.bulk_create(
            Preference(application=application, post=post, rank=rank)
            for rank, post in enumerate(posts, start=1)
        )
        event = ApplicationEvent.objects.create(
            application=application,
            from_status="",
            to_status=ApplicationStatus.SUBMITTED,
            actor=user,
            at=now,
        )
        audit_record(
            action=AuditAction.STATUS_CHANGE,
            actor=user,
            request=request,
            target=application,
            subject_user_id=user.pk,
            region=round_.region,
            detail={"from": "", "to": ApplicationStatus.SUBMITTED, "preferences": ids},
        )
        application_status_email(application=application, event=event)
    return application


def _check_own(application: Application, user) -> None:
    if application.applicant_id != user.pk:
        raise PermissionDenied


def application_update_preferences(
    *, application: Application, user, post_ids: Sequence, request=None
) -> Application:
    """Replace the ranking, while the window is open and the application is still editable."""
    _check_own(application, user)
    round_ = application.round
    if application.status not in APPLICATION_EDITABLE:
        raise ValidationError(
            {
                "preferences": _("An application that is “%(status)s” can no longer be changed.")
                % {"status": application.get_status_display()}
            },
            code="not_editable",
        )
    if not round_.applications_window_open():
        raise _window_closed(round_)
    profile = _profile_or_error(user)
    ids = _clean_post_ids(post_ids, round_)
    posts = _checked_posts(profile=profile, round_=round_, ids=ids)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status not in APPLICATION_EDITABLE:
            raise ValidationError(
                {"preferences": _("This application can no longer be changed.")},
                code="not_editable",
            )
        application.preferences.all().delete()
        Preference.objects.bulk_create(
            Preference(application=application, post=post, rank=rank)
            for rank, post in enumerate(posts, start=1)
        )
        application.save(update_fields=["updated_at"])
    return application


def application_can_withdraw(application: Application) -> bool:
    """Before matching, or with an offer still awaiting the graduate's reply."""
    if application.status == ApplicationStatus.OFFERED:
        return True
    if application.status not in WITHDRAWABLE_BEFORE_MATCHING:
        return False
    return ROUND_STAGE_ORDER.index(application.round.stage) < ROUND_STAGE_ORDER.index(
        RoundStage.MATCHING
    )


def application_withdraw(
    *, application: Application, user, reason: str = "", request=None
) -> Application:
    """Withdraw: allowed until matching; with a pending offer, withdrawing declines the offer and
    its post re-opens for the next matching pass (backfill)."""
    _check_own(application, user)
    with transaction.atomic():
        application = (
            Application.objects.select_for_update()
            .select_related("round__region", "applicant")
            .get(pk=application.pk)
        )
        if application.status == ApplicationStatus.WITHDRAWN:
            raise ValidationError(
                _("You have already withdrawn this application."), code="already_withdrawn"
            )
        if not application_can_withdraw(application):
            raise ValidationError(
                _(
                    "An application that is “%(status)s” can no longer be withdrawn; "
                    "please contact the HR office of the round."
                )
                % {"status": application.get_status_display()},
                code="not_withdrawable",
            )
        note = reason.strip()[:200]
        pending = list(
            Offer.objects.select_for_update().filter(
                application=application, status=OfferStatus.PENDING
            )
        )
        now = timezone.now()
        for offer in pending:
            offer.status = OfferStatus.DECLINED
            offer.responded_at = now
            offer.save(update_fields=["status", "responded_at"])
        if pending:
            backfill = _("The offer is declined by the withdrawal; the post re-opens for backfill.")
            note = f"{note} {backfill}".strip()
        application_transition(
            application=application,
            to_status=ApplicationStatus.WITHDRAWN,
            actor=user,
            reason=note[:300],
            request=request,
        )
    return application
