"""Eligibility on plain tuples and regions resolved once: the rules of
`jobs.services.eligibility._check_post`, without building messages, for millions of pairs."""

from __future__ import annotations

from dataclasses import dataclass

from regions.models import PATH_SEPARATOR, Region

from ...choices import EDUCATION_RANK, HometownRestriction
from ...idnumber import age_on
from .priorities import county_path_of, path_codes

# --- regions, once per run ------------------------------------------------------------------


@dataclass(slots=True)
class RegionInfo:
    """What matching needs about a region, derived once from its path."""

    path: str
    township_path: str  # the parent's path (for a village: its township)
    county_path: str
    county_code: str | None  # as jobs.services.eligibility.county_code
    city_code: str | None  # as jobs.services.eligibility.city_code
    under_served: bool  # the region or one of its ancestors


def _region_info(path: str, under_served_paths: set[str]) -> RegionInfo:
    codes = path_codes(path)
    six = [code for code in codes if len(code) == 6]
    prefixes = {PATH_SEPARATOR.join(codes[: i + 1]) + PATH_SEPARATOR for i in range(len(codes))}
    return RegionInfo(
        path=path,
        township_path=PATH_SEPARATOR.join(codes[:-1]) + PATH_SEPARATOR if len(codes) > 1 else "",
        county_path=county_path_of(path),
        county_code=six[-1] if len(six) >= 2 else None,
        city_code=codes[1] if len(codes) >= 2 else None,
        under_served=bool(prefixes & under_served_paths),
    )


def regions_index(region_ids: set[int]) -> dict[int, RegionInfo]:
    """Region id → RegionInfo for the given ids (two queries, whatever the number)."""
    under_served = set(Region.objects.filter(under_served=True).values_list("path", flat=True))
    out: dict[int, RegionInfo] = {}
    ids = sorted(i for i in region_ids if i is not None)
    for start in range(0, len(ids), 20_000):
        for pk, path in Region.objects.filter(pk__in=ids[start : start + 20_000]).values_list(
            "pk", "path"
        ):
            out[pk] = _region_info(path, under_served)
    return out


# --- eligibility on tuples -------------------------------------------------------------------

# A post's rules: (min education rank, full-time required, majors or None, age limit by level
# or None, hometown rule: 0 none / 1 same county / 2 same city, required code, dialects or None)
PostRules = tuple
# An applicant's facts: (education level, its rank, full-time, major id, birth date,
# county code, city code, dialects)
ApplicantRules = tuple

RESTRICTION = {
    HometownRestriction.SAME_COUNTY: 1,
    HometownRestriction.SAME_CITY: 2,
}


def post_rules(
    *, min_education, full_time_required, majors, max_age_by_level, restriction, village, dialects
) -> PostRules:
    limits = {
        level: int(limit)
        for level, limit in (max_age_by_level or {}).items()
        if limit not in (None, "")
    }
    kind = RESTRICTION.get(restriction, 0)
    required = None
    if kind == 1:
        required = village.county_code if village else None
    elif kind == 2:
        required = village.city_code if village else None
    wanted = frozenset(d for d in (dialects or []) if d)
    return (
        EDUCATION_RANK.get(min_education, 0),
        bool(full_time_required),
        frozenset(majors) if majors else None,
        limits or None,
        kind,
        required,
        wanted or None,
    )


def applicant_rules(
    *, education_level, full_time, major_id, birth_date, hometown, dialects
) -> ApplicantRules:
    return (
        education_level,
        EDUCATION_RANK.get(education_level, -1),
        bool(full_time),
        major_id,
        birth_date,
        hometown.county_code if hometown else None,
        hometown.city_code if hometown else None,
        frozenset(dialects or ()),
    )


def pair_eligible(applicant: ApplicantRules, post: PostRules, reference_date) -> bool:
    """True when the applicant meets every rule of the post on `reference_date` — the rules of
    `jobs.services.eligibility._check_post` (tested against it), without building messages."""
    level, rank, full_time, major_id, birth_date, county, city, dialects = applicant
    min_rank, ft_required, majors, limits, kind, required, wanted = post
    if rank < min_rank or (ft_required and not full_time):
        return False
    if majors is not None and major_id not in majors:
        return False
    if limits is not None:
        limit = limits.get(level)
        if limit is not None and (birth_date is None or age_on(birth_date, reference_date) > limit):
            return False
    if kind == 1 and county != required:
        return False
    if kind == 2 and city != required:
        return False
    return wanted is None or not wanted.isdisjoint(dialects)
