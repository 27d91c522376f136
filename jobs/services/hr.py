"""Eligibility review by HR officers: confirm, reject with a reason, or confirm many at once.

Every status change goes through `application_transition` (timeline, audit, e-mail). The
review is open while applications are open (offices review as applications come in) and during
the eligibility-review stage; once scoring has begun, eligibility is settled.

- confirm: SUBMITTED → ELIGIBLE, or REJECTED → ELIGIBLE to correct a rejection;
- reject: SUBMITTED → REJECTED, or ELIGIBLE → REJECTED, always with a reason the graduate sees;
- bulk confirm: the selected SUBMITTED applications of one round; every id that could not be
  confirmed is reported with the reason, none is skipped silently.

Scope (the officer's region holds the round) is checked by the caller with accounts.scope;
the bulk form takes the round, and ids of other rounds are reported as not found.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import ApplicationStatus, RoundStage
from ..models import Application, RecruitmentRound
from .status import application_transition

REVIEW_STAGES = frozenset({RoundStage.APPLICATIONS_OPEN, RoundStage.ELIGIBILITY_REVIEW})
CONFIRMABLE = frozenset({ApplicationStatus.SUBMITTED, ApplicationStatus.REJECTED})
REJECTABLE = frozenset({ApplicationStatus.SUBMITTED, ApplicationStatus.ELIGIBLE})
REASON_MAX = 300
BULK_MAX = 1000


def review_open(round_: RecruitmentRound) -> bool:
    return round_.stage in REVIEW_STAGES


def _check_stage(round_: RecruitmentRound) -> None:
    if not review_open(round_):
        raise ValidationError(
            _(
                "Eligibility can be reviewed only while applications are open or during the "
                "eligibility review; this round is at the stage “%(stage)s”."
            )
            % {"stage": round_.get_stage_display()},
            code="stage",
        )


def _locked(application: Application) -> Application:
    """The application re-read under a row lock, so two officers never both decide it."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("round__region", "applicant")
        .get(pk=application.pk)
    )


@transaction.atomic
def eligibility_confirm(*, application: Application, actor, request=None) -> Application:
    application = _locked(application)
    _check_stage(application.round)
    if application.status not in CONFIRMABLE:
        raise ValidationError(
            _("This application is “%(status)s”: its eligibility can no longer be confirmed.")
            % {"status": application.get_status_display()},
            code="status",
        )
    application.eligibility_reason = ""
    application.reviewed_by = actor
    application.reviewed_at = timezone.now()
    application_transition(
        application=application,
        to_status=ApplicationStatus.ELIGIBLE,
        actor=actor,
        request=request,
        save_fields=("eligibility_reason", "reviewed_by", "reviewed_at"),
    )
    return application


@transaction.atomic
def eligibility_reject(
    *, application: Application, actor, reason: str, request=None
) -> Application:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the application is not eligible: the graduate will read it.")},
            code="reason_required",
        )
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("At most %(limit)d characters.") % {"limit": REASON_MAX}},
            code="reason_length",
        )
    application = _locked(application)
    _check_stage(application.round)
    if application.status not in REJECTABLE:
        raise ValidationError(
            _("This application is “%(status)s”: it can no longer be rejected.")
            % {"status": application.get_status_display()},
            code="status",
        )
    application.eligibility_reason = reason
    application.reviewed_by = actor
    application.reviewed_at = timezone.now()
    application_transition(
        application=application,
        to_status=ApplicationStatus.REJECTED,
        actor=actor,
        reason=reason,
        request=request,
        save_fields=("eligibility_reason", "reviewed_by", "reviewed_at"),
    )
    return application


@dataclass
class BulkResult:
    confirmed: list[int] = field(default_factory=list)
    # (application id, why it was not confirmed), in the order the ids were given.
    problems: list[tuple[int, str]] = field(default_factory=list)


def eligibility_confirm_bulk(
    *, round_: RecruitmentRound, application_ids, actor, request=None
) -> BulkResult:
    """Confirm the selected applications of `round_`; report each one that could not be.

    Each confirmation is its own transaction: one that fails (changed meanwhile) does not undo
    the others, and it is reported.
    """
    _check_stage(round_)
    ids: list[int] = []
    for raw in application_ids:
        try:
            value = int(raw)
        except (TypeError, ValueError):
            continue
        if value not in ids:
            ids.append(value)
    if not ids:
        raise ValidationError(_("Select at least one application."), code="empty")
    if len(ids) > BULK_MAX:
        raise ValidationError(
            _("Select at most %(limit)d applications at a time.") % {"limit": BULK_MAX},
            code="too_many",
        )
    found = {
        a.pk: a
        for a in Application.objects.filter(round=round_, pk__in=ids).select_related(
            "round__region", "applicant"
        )
    }
    result = BulkResult()
    for pk in ids:
        application = found.get(pk)
        if application is None:
            result.problems.append((pk, _("Not an application of this round.")))
            continue
        if application.status != ApplicationStatus.SUBMITTED:
            result.problems.append(
                (
                    pk,
                    _("It is “%(status)s”, not awaiting review.")
                    % {"status": application.get_status_display()},
                )
            )
            continue
        try:
            eligibility_confirm(application=application, actor=actor, request=request)
        except ValidationError as exc:
            result.problems.append((pk, " ".join(exc.messages)))
        else:
            result.confirmed.append(pk)
    return result
