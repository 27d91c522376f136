"""Posts of a round: one at a time, one for every uncovered village of a township, or from a file
(jobs.services.post_import). Posts may be added or changed until applications close."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from regions.choices import RegionLevel
from regions.models import Region

from ..choices import PLACEMENT_ACTIVE, Dialect, EducationLevel, HometownRestriction, RoundStage
from ..models import DEFAULT_POST_TITLE, Placement, Post, RecruitmentRound
from ..selectors.posts import jobs_public_cache_invalidate
from .rounds import _require_manager

# Stages during which posts may be added or changed: applicants must see the posts they rank.
POST_EDIT_STAGES = (RoundStage.DRAFT, RoundStage.ANNOUNCED, RoundStage.APPLICATIONS_OPEN)
POST_FIELDS = (
    "title",
    "headcount",
    "min_education",
    "full_time_required",
    "max_age_by_level",
    "hometown_restriction",
    "dialects",
    "monthly_subsidy_fen",
    "service_term_months",
    "description",
)
MAX_HEADCOUNT = 99
MIN_AGE_LIMIT, MAX_AGE_LIMIT = 18, 60
MAX_TERM_MONTHS = 120
MAX_SUBSIDY_FEN = 100_000_00  # 100,000 yuan a month: anything above is a typo


def post_round_editable(round: RecruitmentRound) -> None:
    if round.stage not in POST_EDIT_STAGES:
        raise ValidationError(
            _(
                "Posts can be added or changed only until applications close; this round is at “%(stage)s”."
            )
            % {"stage": RoundStage(round.stage).label}
        )
    if round.locked_by_run_id:
        raise ValidationError(_("A matching run is in progress for this round."))


def village_problem(round: RecruitmentRound, village: Region | None) -> str | None:
    """Why `village` cannot hold a post of `round`, or None."""
    if village is None:
        return _("Choose the village of the post.")
    if village.level != RegionLevel.VILLAGE:
        return _("%(name)s is a %(level)s: a post is at a village (community).") % {
            "name": village.name,
            "level": village.get_level_display(),
        }
    if not round.region.contains(village):
        return _("%(name)s is not in %(region)s, which runs this round.") % {
            "name": village.name,
            "region": round.region.name,
        }
    return None


def post_field_errors(post: Post) -> dict[str, list[str]]:
    """Every rule on a post's own fields (the village is checked with the round)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not (post.title or "").strip():
        add("title", _("Give the post a title."))
    elif len(post.title) > 64:
        add("title", _("At most %(limit)d characters.") % {"limit": 64})
    if post.headcount is None or not 1 <= int(post.headcount) <= MAX_HEADCOUNT:
        add(
            "headcount",
            _("The headcount is a whole number from 1 to %(max)d.") % {"max": MAX_HEADCOUNT},
        )
    if post.min_education not in EducationLevel.values:
        add("min_education", _("Choose a minimum education level."))
    if post.hometown_restriction not in HometownRestriction.values:
        add("hometown_restriction", _("Choose a hometown restriction."))
    ages = post.max_age_by_level or {}
    if not isinstance(ages, dict):
        add("max_age_by_level", _("Age limits are given per degree level."))
    else:
        for level, age in ages.items():
            if level not in EducationLevel.values:
                add("max_age_by_level", _("Unknown degree level: %(level)s.") % {"level": level})
            elif not isinstance(age, int) or not MIN_AGE_LIMIT <= age <= MAX_AGE_LIMIT:
                add(
                    "max_age_by_level",
                    _("The age limit for %(level)s is a whole number from %(min)d to %(max)d.")
                    % {
                        "level": EducationLevel(level).label,
                        "min": MIN_AGE_LIMIT,
                        "max": MAX_AGE_LIMIT,
                    },
                )
    dialects = post.dialects or []
    if not isinstance(dialects, list) or any(d not in Dialect.values for d in dialects):
        add("dialects", _("Choose dialects from the list."))
    if post.monthly_subsidy_fen is None or not 0 <= post.monthly_subsidy_fen <= MAX_SUBSIDY_FEN:
        add("monthly_subsidy_fen", _("The monthly subsidy is between 0 and 100,000 yuan."))
    if post.service_term_months is None or not 1 <= post.service_term_months <= MAX_TERM_MONTHS:
        add(
            "service_term_months",
            _("The service term is from 1 to %(max)d months.") % {"max": MAX_TERM_MONTHS},
        )
    return errors


def _fill(post: Post, data: dict) -> None:
    for name in POST_FIELDS:
        if name in data:
            setattr(post, name, data[name])
    if not (post.title or "").strip():
        post.title = DEFAULT_POST_TITLE
    if post.dialects:
        post.dialects = sorted(set(post.dialects))


def _validate(round: RecruitmentRound, post: Post, *, check_village: bool) -> None:
    errors = post_field_errors(post)
    if check_village:
        problem = village_problem(round, post.village if post.village_id else None)
        if problem:
            errors.setdefault("village", []).append(problem)
        elif Post.objects.filter(round=round, village=post.village).exclude(pk=post.pk).exists():
            errors.setdefault("village", []).append(
                _("This round already has a post at %(name)s.") % {"name": post.village.name}
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def post_create(*, round: RecruitmentRound, actor, data: dict) -> Post:
    """One post at `data["village"]`; `data` holds the fields of POST_FIELDS and `majors`."""
    _require_manager(actor, round=round)
    post_round_editable(round)
    post = Post(round=round, village=data.get("village"))
    _fill(post, data)
    _validate(round, post, check_village=True)
    post.region_path = post.village.path
    try:
        with transaction.atomic():
            post.save()
    except IntegrityError as exc:  # a second officer added the same village at the same time
        raise ValidationError(
            {
                "village": [
                    _("This round already has a post at %(name)s.") % {"name": post.village.name}
                ]
            }
        ) from exc
    if data.get("majors"):
        post.majors.set(data["majors"])
    transaction.on_commit(jobs_public_cache_invalidate)
    return post


@transaction.atomic
def post_update(*, post: Post, actor, data: dict) -> Post:
    """Change a post's fields (its village stays: delete and add another to move it)."""
    round = post.round
    _require_manager(actor, round=round)
    post_round_editable(round)
    _fill(post, data)
    _validate(round, post, check_village=False)
    post.save()
    if "majors" in data:
        post.majors.set(data["majors"])
    transaction.on_commit(jobs_public_cache_invalidate)
    return post


def villages_without_operator(*, township: Region) -> list[Region]:
    """The township's villages that have no graduate in post (no active placement)."""
    covered = Placement.objects.filter(
        status__in=PLACEMENT_ACTIVE, village__path__startswith=township.path
    ).values("village_id")
    return list(
        Region.objects.filter(path__startswith=township.path, level=RegionLevel.VILLAGE)
        .exclude(pk__in=covered)
        .order_by("code")
    )


@transaction.atomic
def posts_for_township(
    *, round: RecruitmentRound, township: Region, actor, data: dict | None = None
) -> list[Post]:
    """One post for every village of `township` without an operator and without a post in the
    round already; the posts share `data` (defaults otherwise). Returns the new posts."""
    _require_manager(actor, round=round)
    post_round_editable(round)
    if township.level != RegionLevel.TOWNSHIP:
        raise ValidationError(
            {"township": [_("%(name)s is not a township.") % {"name": township.name}]}
        )
    if not round.region.contains(township):
        raise ValidationError(
            {
                "township": [
                    _("%(name)s is not in %(region)s, which runs this round.")
                    % {"name": township.name, "region": round.region.name}
                ]
            }
        )
    data = dict(data or {})
    template = Post(round=round)
    _fill(template, data)
    errors = post_field_errors(template)
    if errors:
        raise ValidationError(errors)
    existing = set(Post.objects.filter(round=round).values_list("village_id", flat=True))
    villages = [v for v in villages_without_operator(township=township) if v.pk not in existing]
    posts = []
    for village in villages:
        post = Post(round=round, village=village, region_path=village.path)
        _fill(post, data)
        posts.append(post)
    created = Post.objects.bulk_create(posts)
    majors = list(data.get("majors") or [])
    if majors:
        through = Post.majors.through
        through.objects.bulk_create(
            [through(post_id=p.pk, major_id=m.pk) for p in created for m in majors]
        )
    transaction.on_commit(jobs_public_cache_invalidate)
    return created
