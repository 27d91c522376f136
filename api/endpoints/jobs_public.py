"""Public jobs endpoints: open rounds and the post search (no authentication)."""

import datetime

from django.http import Http404
from django.utils import translation

from ninja import Field, Query, Router, Schema

from api.schemas import ErrorOut
from jobs.models import Post, RecruitmentRound
from jobs.selectors.posts import (
    post_search_parse,
    post_search_slice,
    public_cache_get,
    public_cache_key,
    public_cache_set,
)
from jobs.selectors.rounds import rounds_public
from regions.models import Region

router = Router(tags=["jobs"])


class RoundOut(Schema):
    id: int
    name: str
    year: int
    region_code: str
    region_name: str
    stage: str
    stage_label: str
    announce_on: datetime.date | None
    applications_open_at: datetime.datetime | None
    applications_close_at: datetime.datetime | None
    max_preferences: int
    post_count: int
    headcount: int


class RoundList(Schema):
    items: list[RoundOut]


class PostOut(Schema):
    id: int
    round_id: int
    round_name: str
    title: str
    headcount: int
    village_code: str
    village_name: str
    township_name: str
    county_name: str
    min_education: str
    monthly_subsidy_yuan: float
    service_term_months: int
    applications_close_at: datetime.datetime | None


class PostPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PostOut]


class PostFilters(Schema):
    region: str = Field("", description="Official code: the region and everything below it")
    round: int | None = Field(None, ge=1, description="A round's id")
    q: str = Field("", max_length=30, description="Part of the village or township name")
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


def _round_out(round: RecruitmentRound) -> dict:
    return {
        "id": round.pk,
        "name": round.name,
        "year": round.year,
        "region_code": round.region.code,
        "region_name": round.region.name,
        "stage": round.stage,
        "stage_label": str(round.get_stage_display()),
        "announce_on": round.announce_on,
        "applications_open_at": round.applications_open_at,
        "applications_close_at": round.applications_close_at,
        "max_preferences": round.max_preferences,
        "post_count": round.post_count or 0,
        "headcount": round.headcount or 0,
    }


def _post_out(post: Post) -> dict:
    village = post.village
    township = village.parent
    county = township.parent if township else None
    return {
        "id": post.pk,
        "round_id": post.round.pk,
        "round_name": post.round.name,
        "title": post.title,
        "headcount": post.headcount,
        "village_code": village.code,
        "village_name": village.name,
        "township_name": township.name if township else "",
        "county_name": county.name if county else "",
        "min_education": post.min_education,
        "monthly_subsidy_yuan": post.monthly_subsidy_fen / 100,
        "service_term_months": post.service_term_months,
        "applications_close_at": post.round.applications_close_at,
    }


@router.get(
    "/rounds",
    response={200: RoundList, 404: ErrorOut},
    summary="Announced recruitment rounds that are not closed",
)
def rounds_list(
    request,
    year: int | None = Query(None, ge=2000, le=2100),
    region: str = Query("", description="Official code: rounds of this region, below or above it"),
):
    found = None
    if region.strip():
        found = Region.objects.filter(code=region.strip()).first()
        if found is None:
            raise Http404
    return {"items": [_round_out(r) for r in rounds_public(year=year, region=found)]}


@router.get(
    "/posts",
    response={200: PostPage, 404: ErrorOut},
    summary="Search the posts of open rounds by region, round and name",
)
def posts_search(request, filters: Query[PostFilters]):
    """The same search as the public page; an unknown region or round is 404."""
    params = filters.dict()
    key = public_cache_key("api-posts", translation.get_language(), params)
    cached = public_cache_get(key)
    if cached is not None:
        return cached
    search = post_search_parse(region=filters.region, round=filters.round or "", q=filters.q)
    if search.errors:
        raise Http404
    result = post_search_slice(search=search, limit=filters.limit, offset=filters.offset)
    body = {
        "count": result["count"],
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_post_out(p) for p in result["posts"]],
    }
    public_cache_set(key, body)
    return body
