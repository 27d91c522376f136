from django.db.models import QuerySet

from .models import Region


def region_get(*, code: str) -> Region | None:
    return Region.objects.select_related("parent").filter(code=code).first()


def region_children(*, region: Region | None) -> QuerySet[Region]:
    if region is None:
        return Region.objects.filter(parent__isnull=True)
    return Region.objects.filter(parent=region).order_by("code")


def region_ancestors(*, region: Region) -> list[Region]:
    """The chain from the province down to the region's parent, in one query."""
    codes = region.ancestor_codes
    by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [by_code[c] for c in codes if c in by_code]


def region_search(*, query: str, limit: int = 20, within: Region | None = None) -> list[Region]:
    """Regions whose name contains `query` (Chinese works as is), broadest first.

    Each result carries `ancestor_names` so that 同名 villages can be told apart.
    """
    query = (query or "").strip()
    if not query:
        return []
    qs = Region.objects.filter(name__contains=query)
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    results = list(qs.order_by("depth", "code")[:limit])
    ancestor_codes = {code for r in results for code in r.ancestor_codes}
    names = dict(Region.objects.filter(code__in=ancestor_codes).values_list("code", "name"))
    for region in results:
        region.ancestor_names = [names[c] for c in region.ancestor_codes if c in names]
    return results


def region_descendants(*, region: Region, include_self: bool = True) -> QuerySet[Region]:
    return Region.objects.descendants_of(region, include_self=include_self)
