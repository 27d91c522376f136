"""Whether a graduate's profile meets a post's requirements, with every failed rule in words.

`posts_eligibility` checks many posts against one profile at a fixed cost in queries: the posts
come with their villages and majors (`posts_for_eligibility`), and the names of the regions a
hometown rule needs are read in one query for all posts together. `post_eligibility` is the
one-post form.

Rules: minimum education, full-time degree, major (the post's list of catalogue codes; empty
means any), age limit by degree level at the round's reference date, hometown in the same
county or city as the post's village, and any one of the post's dialects.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.models import PATH_SEPARATOR, Region

from ..choices import EDUCATION_RANK, Dialect, EducationLevel, HometownRestriction
from ..idnumber import age_on
from ..models import GraduateProfile, Post, RecruitmentRound

# How many of a post's majors a message names before "…".
MAJORS_NAMED = 5


@dataclass(frozen=True)
class RuleFailure:
    """One requirement the graduate does not meet: a stable code and a sentence naming the facts."""

    code: str
    message: str

    def __str__(self) -> str:
        return self.message


def posts_for_eligibility(queryset: QuerySet[Post] | None = None) -> QuerySet[Post]:
    """Posts with what the checks read: the village (its path) and the majors (one query)."""
    queryset = Post.objects.all() if queryset is None else queryset
    return queryset.select_related("village").prefetch_related("majors")


def profile_for_eligibility(user) -> GraduateProfile | None:
    return GraduateProfile.objects.select_related("hometown", "major").filter(user=user).first()


def round_reference_date(round_: RecruitmentRound) -> datetime.date:
    """The day ages are counted at: the round's reference date, else its closing day, else today."""
    if round_.age_reference_date:
        return round_.age_reference_date
    if round_.applications_close_at:
        return timezone.localdate(round_.applications_close_at)
    return timezone.localdate()


def _codes(path: str) -> list[str]:
    return [code for code in path.split(PATH_SEPARATOR) if code]


def county_code(region: Region) -> str | None:
    """The county-level unit of a region: its deepest six-digit ancestor (a city without counties,
    such as 东莞市, is its own county-level unit)."""
    six = [code for code in _codes(region.path) if len(code) == 6]
    return six[-1] if len(six) >= 2 else None


def city_code(region: Region) -> str | None:
    codes = _codes(region.path)
    return codes[1] if len(codes) >= 2 else None


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


@dataclass
class _HometownCheck:
    post_id: int
    level: str  # same_county / same_city
    required_code: str | None
    actual_code: str | None


def _check_post(
    profile: GraduateProfile, post: Post, reference_date: datetime.date
) -> tuple[list[RuleFailure], _HometownCheck | None]:
    failures: list[RuleFailure] = []
    level = profile.education_level
    if EDUCATION_RANK.get(level, -1) < EDUCATION_RANK.get(post.min_education, 0):
        failures.append(
            RuleFailure(
                "education",
                _("This post requires at least a %(required)s; yours is a %(actual)s.")
                % {
                    "required": _label(EducationLevel, post.min_education),
                    "actual": _label(EducationLevel, level),
                },
            )
        )
    if post.full_time_required and not profile.full_time:
        failures.append(
            RuleFailure(
                "full_time",
                _("This post requires a full-time degree; yours is not from full-time study."),
            )
        )
    majors = list(post.majors.all())
    if majors and profile.major_id not in {m.pk for m in majors}:
        names = [m.name for m in majors[:MAJORS_NAMED]]
        listed = "、".join(names) + ("…" if len(majors) > MAJORS_NAMED else "")
        if profile.major_id:
            message = _(
                "This post is open to %(count)d majors (%(majors)s); yours, %(actual)s, is not one of them."
            ) % {"count": len(majors), "majors": listed, "actual": profile.major.name}
        else:
            message = _(
                "This post is open to %(count)d majors (%(majors)s); your profile names no major."
            ) % {"count": len(majors), "majors": listed}
        failures.append(RuleFailure("major", message))
    limit = (post.max_age_by_level or {}).get(level)
    if limit not in (None, ""):
        age = age_on(profile.birth_date, reference_date)
        if age > int(limit):
            failures.append(
                RuleFailure(
                    "age",
                    _(
                        "This post takes holders of a %(level)s aged %(limit)d or younger on "
                        "%(date)s; you are %(age)d on that day."
                    )
                    % {
                        "level": _label(EducationLevel, level),
                        "limit": int(limit),
                        "date": reference_date.isoformat(),
                        "age": age,
                    },
                )
            )
    hometown = None
    if post.hometown_restriction == HometownRestriction.SAME_COUNTY:
        required, actual = county_code(post.village), county_code(profile.hometown)
        if required != actual:
            hometown = _HometownCheck(post.pk, post.hometown_restriction, required, actual)
    elif post.hometown_restriction == HometownRestriction.SAME_CITY:
        required, actual = city_code(post.village), city_code(profile.hometown)
        if required != actual:
            hometown = _HometownCheck(post.pk, post.hometown_restriction, required, actual)
    wanted = [d for d in (post.dialects or []) if d]
    if wanted and not set(wanted) & set(profile.dialects or []):
        spoken = [_label(Dialect, d) for d in profile.dialects or []]
        failures.append(
            RuleFailure(
                "dialect",
                _(
                    "This post requires one of these dialects: %(required)s; you have listed %(actual)s."
                )
                % {
                    "required": "、".join(_label(Dialect, d) for d in wanted),
                    "actual": "、".join(spoken) if spoken else _("none"),
                },
            )
        )
    return failures, hometown


def posts_eligibility(
    *,
    profile: GraduateProfile,
    posts: Iterable[Post],
    round_: RecruitmentRound,
    reference_date: datetime.date | None = None,
) -> dict[int, list[RuleFailure]]:
    """Failed rules per post id (an empty list: eligible). Posts should come from
    `posts_for_eligibility`; at most one more query is made, for the hometown rule's names."""
    reference_date = reference_date or round_reference_date(round_)
    result: dict[int, list[RuleFailure]] = {}
    hometown_checks: list[_HometownCheck] = []
    for post in posts:
        failures, hometown = _check_post(profile, post, reference_date)
        result[post.pk] = failures
        if hometown:
            hometown_checks.append(hometown)
    if hometown_checks:
        codes = {c.required_code for c in hometown_checks} | {
            c.actual_code for c in hometown_checks
        }
        names = dict(
            Region.objects.filter(code__in=[c for c in codes if c]).values_list("code", "name")
        )
        for check in hometown_checks:
            required = names.get(check.required_code, check.required_code or "")
            actual = names.get(check.actual_code) or profile.hometown.name
            # 梅县区 vs 天河区 for a county rule, 梅州市 vs 广州市 for a city rule.
            message = _("This post requires a hometown in %(required)s; yours is in %(actual)s.")
            result[check.post_id].append(
                RuleFailure("hometown", message % {"required": required, "actual": actual})
            )
    return result


def post_eligibility(
    profile: GraduateProfile,
    post: Post,
    round_: RecruitmentRound | None = None,
    reference_date: datetime.date | None = None,
) -> list[RuleFailure]:
    """The rules of `post` that `profile` fails (empty: eligible)."""
    round_ = round_ or post.round
    return posts_eligibility(
        profile=profile, posts=[post], round_=round_, reference_date=reference_date
    )[post.pk]
