"""Reads of recruitment rounds for the public, the API and HR screens (bounded queries)."""

from django.db.models import Count, Max, Min, Q, QuerySet, Sum

from accounts.choices import Role
from accounts.scope import filter_in_scope
from regions.models import Region

from ..choices import RoundStage
from ..models import Post, RecruitmentRound, RoundAnnouncementPage
from .posts import PUBLIC_STAGES


def rounds_public(*, year: int | None = None, region: Region | None = None) -> QuerySet:
    """Announced rounds not yet closed, newest first, with their post and place counts.

    `region` keeps rounds run by that region, by a region below it, or by one above it
    (a city's round covers its counties).
    """
    rounds = RecruitmentRound.objects.filter(stage__in=PUBLIC_STAGES).select_related("region")
    if year is not None:
        rounds = rounds.filter(year=year)
    if region is not None:
        above = [*region.ancestor_codes, region.code]
        rounds = rounds.filter(Q(region__path__startswith=region.path) | Q(region__code__in=above))
    return rounds.annotate(
        post_count=Count("posts"),
        headcount=Sum("posts__headcount"),
    ).order_by("-year", "region__path", "pk")


def round_public_detail(*, round: RecruitmentRound) -> dict:
    """Counts and the subsidy range of a public round, and its live announcement in the language."""
    from django.utils import translation

    totals = Post.objects.filter(round=round).aggregate(
        post_count=Count("pk"),
        headcount=Sum("headcount"),
        min_subsidy=Min("monthly_subsidy_fen"),
        max_subsidy=Max("monthly_subsidy_fen"),
    )
    language = translation.get_language() or "zh-hans"
    announcements = list(
        RoundAnnouncementPage.objects.live()
        .filter(round=round)
        .select_related("locale")
        .only("id", "url_path", "title", "locale__language_code", "path", "depth")
    )
    announcement = next(
        (a for a in announcements if a.locale.language_code == language),
        announcements[0] if announcements else None,
    )
    return {**totals, "announcement": announcement}


def rounds_for_hr(*, user) -> QuerySet:
    """Every round in the user's HR scope, with post counts."""
    rounds = filter_in_scope(
        RecruitmentRound.objects.select_related("region"), user, role=Role.HR_OFFICER
    )
    return rounds.annotate(post_count=Count("posts"), headcount=Sum("posts__headcount")).order_by(
        "-year", "region__path", "-pk"
    )


def round_hr_detail(*, round: RecruitmentRound) -> dict:
    transitions = list(round.transitions.select_related("actor").order_by("at", "pk"))
    posts = (
        Post.objects.filter(round=round)
        .select_related("village__parent")
        .only(
            "id",
            "title",
            "headcount",
            "min_education",
            "monthly_subsidy_fen",
            "region_path",
            "village__name",
            "village__code",
            "village__parent__name",
        )
        .order_by("region_path", "pk")
    )
    return {
        "transitions": transitions,
        "posts": posts,
        "announcements": list(
            RoundAnnouncementPage.objects.filter(round=round).select_related("locale")
        ),
        "stage_done": {t.to_stage for t in transitions} | {RoundStage.DRAFT},
    }
