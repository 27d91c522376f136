from django.shortcuts import get_object_or_404

from ninja import Router, Schema

from api.schemas import ErrorOut
from regions.models import Region
from regions.selectors import region_ancestors, region_children, region_search

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    level_label: str
    depth: int
    parent_code: str | None
    under_served: bool
    ancestor_codes: list[str]
    ancestor_names: list[str]


class RegionList(Schema):
    items: list[RegionOut]


def _out(region: Region, ancestor_names: list[str] | None = None) -> dict:
    codes = region.ancestor_codes
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "level_label": str(region.get_level_display()),
        "depth": region.depth,
        "parent_code": codes[-1] if codes else None,
        "under_served": region.under_served,
        "ancestor_codes": codes,
        "ancestor_names": ancestor_names
        if ancestor_names is not None
        else getattr(region, "ancestor_names", []),
    }


@router.get(
    "/regions", response=RegionList, summary="Search regions by name, or list the top level"
)
def regions_search(request, q: str = "", limit: int = 20):
    """`q` matches any part of the Chinese name (e.g. 梅县). Without `q`: the province."""
    limit = max(1, min(limit, 50))
    if not q.strip():
        return {"items": [_out(r, []) for r in region_children(region=None)]}
    return {"items": [_out(r) for r in region_search(query=q, limit=limit)]}


@router.get(
    "/regions/{code}",
    response={200: RegionOut, 404: ErrorOut},
    summary="One region by official code",
)
def region_detail(request, code: str):
    region = get_object_or_404(Region, code=code)
    return _out(region, [r.name for r in region_ancestors(region=region)])


@router.get(
    "/regions/{code}/children",
    response={200: RegionList, 404: ErrorOut},
    summary="The regions directly below one",
)
def region_children_list(request, code: str):
    region = get_object_or_404(Region, code=code)
    names = [r.name for r in region_ancestors(region=region)] + [region.name]
    return {"items": [_out(child, names) for child in region_children(region=region)]}
