"""Recruitment rounds: creating and changing them, and moving them through their stages.

A round belongs to a county or city; only HR officers of that region (or above it) and
administrators act on it. Stages move only forward, one at a time, by an officer's action
(`round_advance`) or on their dates (`round_advance_due`, every 15 minutes from Celery beat);
every move is a `RoundTransition` (who — None for the calendar — and when).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.scope import region_in_scope
from regions.choices import RegionLevel
from regions.models import Region

from ..choices import ROUND_STAGE_ORDER, RoundStage
from ..models import RecruitmentRound, RoundTransition
from ..selectors.posts import jobs_public_cache_invalidate

OWNER_LEVELS = (RegionLevel.COUNTY, RegionLevel.CITY)

# The fields an officer sets on a round (the stage, owner and lock are not among them).
ROUND_FIELDS = (
    "name",
    "year",
    "announce_on",
    "applications_open_at",
    "applications_close_at",
    "eligibility_review_until",
    "scores_until",
    "matching_on",
    "offer_reply_days",
    "notice_working_days",
    "onboarding_on",
    "age_reference_date",
    "max_preferences",
    "weight_written",
    "weight_interview",
    "bonus_home_village",
    "bonus_home_township",
    "bonus_home_county",
    "bonus_preservice",
    "bonus_under_served",
    "preservice_path",
    "objection_contact",
)
BONUS_FIELDS = (
    "bonus_home_village",
    "bonus_home_township",
    "bonus_home_county",
    "bonus_preservice",
    "bonus_under_served",
)


def round_can_manage(*, user, round: RecruitmentRound | None = None, region=None) -> bool:
    """HR officers whose scope holds the round's region, and administrators."""
    if not user.is_authenticated:
        return False
    if user.has_role(Role.ADMIN):
        return True
    region = round.region if round is not None else region
    return region_in_scope(user, region, role=Role.HR_OFFICER)


def _require_manager(user, *, round=None, region=None) -> None:
    if user is None or not round_can_manage(user=user, round=round, region=region):
        raise PermissionDenied(_("You may not manage recruitment rounds of this region."))


def _local_date(value) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def round_validate(round: RecruitmentRound) -> None:
    """Every rule of a round, with messages the officer can act on; raises ValidationError."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    region: Region | None = round.region if round.region_id else None
    if region is None:
        add("region", _("Choose the county or city that runs the round."))
    elif region.level not in OWNER_LEVELS:
        add(
            "region",
            _("A round is run by a county or a city; %(name)s is a %(level)s.")
            % {"name": region.name, "level": region.get_level_display()},
        )
    if not (round.name or "").strip():
        add("name", _("Give the round a name."))
    if round.year is not None and not 2000 <= int(round.year) <= 2100:
        add("year", _("Give a year between 2000 and 2100."))
    if round.max_preferences is None or not 1 <= int(round.max_preferences) <= 20:
        add("max_preferences", _("An applicant may rank between 1 and 20 posts."))
    written = Decimal(round.weight_written if round.weight_written is not None else -1)
    interview = Decimal(round.weight_interview if round.weight_interview is not None else -1)
    if written < 0 or interview < 0:
        add("weight_written", _("Weights cannot be negative."))
    elif written + interview != 100:
        add(
            "weight_written",
            _("The written exam and interview weights must add up to 100; they add up to %(sum)s.")
            % {"sum": f"{(written + interview).normalize():f}"},
        )
    for field in BONUS_FIELDS:
        value = getattr(round, field)
        if value is not None and not Decimal(0) <= Decimal(value) <= Decimal(100):
            add(field, _("A bonus is between 0 and 100 points."))
    if round.offer_reply_days is not None and not 1 <= round.offer_reply_days <= 60:
        add("offer_reply_days", _("Give between 1 and 60 days to reply to an offer."))
    if round.notice_working_days is not None and not 1 <= round.notice_working_days <= 30:
        add("notice_working_days", _("A public notice lasts between 1 and 30 working days."))

    # Each stage date falls on or after the one before it.
    opens, closes = round.applications_open_at, round.applications_close_at
    if opens and closes and closes <= opens:
        add("applications_close_at", _("Applications must close after they open."))
    sequence = [
        ("announce_on", _local_date(round.announce_on)),
        ("applications_open_at", _local_date(opens)),
        ("applications_close_at", _local_date(closes)),
        ("eligibility_review_until", round.eligibility_review_until),
        ("scores_until", round.scores_until),
        ("matching_on", round.matching_on),
        ("onboarding_on", round.onboarding_on),
    ]
    labels = {f.name: f.verbose_name for f in RecruitmentRound._meta.fields}
    previous: tuple[str, datetime.date] | None = None
    for field, value in sequence:
        if value is None:
            continue
        if previous and value < previous[1] and field not in errors:
            add(
                field,
                _("%(this)s (%(date)s) cannot come before %(before)s (%(before_date)s).")
                % {
                    "this": labels[field],
                    "date": value.isoformat(),
                    "before": labels[previous[0]],
                    "before_date": previous[1].isoformat(),
                },
            )
        previous = (field, value)
    if errors:
        raise ValidationError(errors)


def _apply(round: RecruitmentRound, data: dict) -> None:
    for field in ROUND_FIELDS:
        if field in data:
            setattr(round, field, data[field])


@transaction.atomic
def round_create(*, actor, region: Region, data: dict) -> RecruitmentRound:
    """A new round in the draft stage, owned by `region` (a county or city in the actor's scope)."""
    _require_manager(actor, region=region)
    round = RecruitmentRound(region=region, stage=RoundStage.DRAFT, created_by=actor)
    _apply(round, data)
    round_validate(round)
    round.save()
    if "in_service_courses" in data:
        round.in_service_courses.set(data["in_service_courses"])
    jobs_public_cache_invalidate()
    return round


@transaction.atomic
def round_update(*, round: RecruitmentRound, actor, data: dict) -> RecruitmentRound:
    """Change a round's settings (not its stage, owner or lock). Closed rounds stay as they were."""
    _require_manager(actor, round=round)
    if round.stage == RoundStage.CLOSED:
        raise ValidationError(_("This round is closed and can no longer be changed."))
    if round.locked_by_run_id:
        raise ValidationError(
            _("A matching run is in progress for this round; change it when the run has finished.")
        )
    _apply(round, data)
    round_validate(round)
    round.save()
    if "in_service_courses" in data:
        round.in_service_courses.set(data["in_service_courses"])
    jobs_public_cache_invalidate()
    return round


def round_next_stage(round: RecruitmentRound) -> str | None:
    index = ROUND_STAGE_ORDER.index(round.stage)
    return ROUND_STAGE_ORDER[index + 1] if index + 1 < len(ROUND_STAGE_ORDER) else None


def _move(round: RecruitmentRound, *, actor, to_stage: str, note: str = "") -> RoundTransition:
    transition = RoundTransition.objects.create(
        round=round,
        from_stage=round.stage,
        to_stage=to_stage,
        actor=actor,
        at=timezone.now(),
        note=note[:200],
    )
    RecruitmentRound.objects.filter(pk=round.pk).update(stage=to_stage)
    round.stage = to_stage
    return transition


@transaction.atomic
def round_advance(
    *, round: RecruitmentRound, actor, to_stage: str | None = None, note: str = ""
) -> RoundTransition:
    """Move the round to its next stage, and only that one.

    `to_stage`, when given, must be that next stage: a form sends the stage the officer saw,
    so that a second click, or a second officer, does not move the round twice.
    """
    _require_manager(actor, round=round)
    locked = RecruitmentRound.objects.select_for_update().get(pk=round.pk)
    round.stage, round.locked_by_run_id = locked.stage, locked.locked_by_run_id
    if round.locked_by_run_id:
        raise ValidationError(
            _(
                "A matching run is in progress for this round: its stage cannot change until the run has finished."
            )
        )
    following = round_next_stage(round)
    if following is None:
        raise ValidationError(_("This round is closed: there is no further stage."))
    if to_stage is not None and to_stage != following:
        if to_stage not in ROUND_STAGE_ORDER:
            raise ValidationError(_("There is no such stage."))
        if ROUND_STAGE_ORDER.index(to_stage) <= round.stage_index:
            raise ValidationError(
                _("A round never goes back: it is already at “%(stage)s”.")
                % {"stage": RoundStage(round.stage).label}
            )
        raise ValidationError(
            _("A round moves one stage at a time: the next stage is “%(stage)s”.")
            % {"stage": RoundStage(following).label}
        )
    transition = _move(round, actor=actor, to_stage=following, note=note)
    transaction.on_commit(jobs_public_cache_invalidate)
    return transition


def round_stage_due(round: RecruitmentRound, now: datetime.datetime) -> bool:
    """True when the calendar says the round should be at its next stage by `now`.

    Stages that follow a decision (matching approved → offers → public notice, and closing)
    have no date: an officer moves the round on.
    """
    today = timezone.localdate(now)
    stage = round.stage
    if stage == RoundStage.DRAFT:
        return round.announce_on is not None and round.announce_on <= today
    if stage == RoundStage.ANNOUNCED:
        return round.applications_open_at is not None and round.applications_open_at <= now
    if stage == RoundStage.APPLICATIONS_OPEN:
        return round.applications_close_at is not None and round.applications_close_at <= now
    if stage == RoundStage.ELIGIBILITY_REVIEW:
        return round.eligibility_review_until is not None and round.eligibility_review_until < today
    if stage == RoundStage.SCORING:
        if round.matching_on is not None:
            return round.matching_on <= today
        return round.scores_until is not None and round.scores_until < today
    if stage == RoundStage.PUBLIC_NOTICE:
        return round.onboarding_on is not None and round.onboarding_on <= today
    return False


DATED_STAGES = (
    RoundStage.DRAFT,
    RoundStage.ANNOUNCED,
    RoundStage.APPLICATIONS_OPEN,
    RoundStage.ELIGIBILITY_REVIEW,
    RoundStage.SCORING,
    RoundStage.PUBLIC_NOTICE,
)


def round_advance_due(*, now: datetime.datetime | None = None) -> list[RoundTransition]:
    """Move every round whose date has come, one stage per step (each step recorded, actor None).

    A round past several dates moves through each stage in turn; a round locked by a
    matching run waits for the next pass.
    """
    now = now or timezone.now()
    transitions: list[RoundTransition] = []
    candidates = RecruitmentRound.objects.filter(
        stage__in=DATED_STAGES, locked_by_run__isnull=True
    ).order_by("pk")
    for candidate in candidates:
        if not round_stage_due(candidate, now):
            continue
        with transaction.atomic():
            round = RecruitmentRound.objects.select_for_update().get(pk=candidate.pk)
            while round.locked_by_run_id is None and round_stage_due(round, now):
                transitions.append(
                    _move(round, actor=None, to_stage=round_next_stage(round), note="calendar")
                )
    if transitions:
        jobs_public_cache_invalidate()
    return transitions
