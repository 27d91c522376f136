"""The one place that decides which regions a user may act on.

Every view and endpoint that shows regional data asks here. An object outside the
user's scope is reported as missing (404), never as forbidden, so that its existence
does not leak.
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.http import Http404

from regions.models import Region

from .choices import Role


def scope_regions(user, *, role: str = Role.HR_OFFICER) -> list[Region] | None:
    """The regions a user holds `role` over; None means the whole province (administrators)."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user.has_role(Role.ADMIN):
        return None
    return [grant.region for grant in user.role_grants if grant.role == role and grant.region]


def region_in_scope(user, region: Region | None, *, role: str = Role.HR_OFFICER) -> bool:
    """True exactly when `region` is one of the user's scope regions or lies below one."""
    if region is None:
        return False
    regions = scope_regions(user, role=role)
    if regions is None:
        return True
    return any(scope.contains(region) for scope in regions)


def has_scope(user, *, role: str = Role.HR_OFFICER) -> bool:
    regions = scope_regions(user, role=role)
    return regions is None or bool(regions)


def scope_q(user, *, role: str = Role.HR_OFFICER, region_field: str = "region") -> Q:
    """A filter keeping rows whose `region_field` lies in the user's scope."""
    regions = scope_regions(user, role=role)
    if regions is None:
        return Q()
    if not regions:
        return Q(pk__in=[])
    lookup = f"{region_field}__path__startswith" if region_field else "path__startswith"
    q = Q()
    for region in _outermost(regions):
        q |= Q(**{lookup: region.path})
    return q


def filter_in_scope(
    queryset: QuerySet, user, *, role: str = Role.HR_OFFICER, region_field: str = "region"
) -> QuerySet:
    return queryset.filter(scope_q(user, role=role, region_field=region_field))


def get_in_scope_or_404(
    queryset: QuerySet, user, *, role: str = Role.HR_OFFICER, region_field: str = "region", **lookup
):
    """Fetch one object, or 404 if it does not exist or lies outside the user's scope."""
    try:
        return filter_in_scope(queryset, user, role=role, region_field=region_field).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def _outermost(regions: Iterable[Region]) -> list[Region]:
    ordered = sorted(regions, key=lambda r: r.path)
    kept: list[Region] = []
    for region in ordered:
        if not kept or not region.path.startswith(kept[-1].path):
            kept.append(region)
    return kept


# HR officers and training editors are the staff who act on a region; HR comes first where a
# page must pick one scope (the HR office of a region sees its people).
STAFF_ROLES = (Role.HR_OFFICER, Role.TRAINING_EDITOR)


def staff_scope_role(user) -> str | None:
    """The staff role whose scope a region page uses, or None for someone who is not staff.

    Administrators get HR, whose scope is then the whole province.
    """
    if not user.is_authenticated:
        return None
    if user.has_role(Role.ADMIN):
        return Role.HR_OFFICER
    return next((role for role in STAFF_ROLES if has_scope(user, role=role)), None)


def region_in_staff_scope(user, region: Region | None) -> bool:
    """True when `region` lies in the user's HR or editor scope (always, for administrators)."""
    return any(region_in_scope(user, region, role=role) for role in STAFF_ROLES)
