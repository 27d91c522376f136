from django.db.models import Count, QuerySet

from wagtail.models import APIToken

from regions.models import Region
from regions.selectors import region_children

from .choices import Role
from .models import User
from .scope import scope_regions


def user_api_tokens(*, user: User) -> QuerySet[APIToken]:
    return APIToken.objects.filter(user=user).order_by("revoked_at", "-created")


def scope_roots(*, user: User, role: str = Role.HR_OFFICER) -> list[Region]:
    regions = scope_regions(user, role=role)
    if regions is None:
        return list(region_children(region=None))
    return regions


def region_people_overview(*, region: Region) -> list[dict]:
    """Per child region: how many accounts of each role live there (bounded: 3 queries)."""
    children = list(region_children(region=region))
    rows = (
        User.objects.filter(is_active=True, home_region__path__startswith=region.path)
        .values("home_region__path", "grants__role")
        .annotate(n=Count("pk", distinct=True))
    )
    counts: dict[str, dict[str, int]] = {c.code: {} for c in children}
    depth = region.depth + 1
    for row in rows:
        codes = [c for c in row["home_region__path"].split("/") if c]
        if len(codes) <= depth:
            continue
        child_counts = counts.get(codes[depth])
        if child_counts is not None and row["grants__role"]:
            child_counts[row["grants__role"]] = child_counts.get(row["grants__role"], 0) + row["n"]
    return [
        {
            "region": child,
            "cadres": counts[child.code].get(Role.CADRE, 0),
            "graduates": counts[child.code].get(Role.GRADUATE, 0),
            "operators": counts[child.code].get(Role.OPERATOR, 0),
        }
        for child in children
    ]
