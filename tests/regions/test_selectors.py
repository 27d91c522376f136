"""Reading regions: descendants, search, children and ancestors, in bounded queries."""

from collections import defaultdict

import pytest

from regions.models import Region
from regions.selectors import (
    region_ancestors,
    region_children,
    region_descendants,
    region_get,
    region_search,
)
from tests.factories import load_small_regions, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions():
    load_small_regions()


def _walk_down(root: Region) -> set[str]:
    """Everything below `root` found by following parent links, the slow way."""
    children = defaultdict(list)
    for pk, parent_id, code in Region.objects.values_list("pk", "parent_id", "code"):
        children[parent_id].append((pk, code))
    found, stack = set(), [root.pk]
    while stack:
        for pk, code in children[stack.pop()]:
            found.add(code)
            stack.append(pk)
    return found


@pytest.mark.parametrize(
    "code", ["440000", "441400", "441403", "441403101", "440106", "441403101001"]
)
def test_descendants_match_the_parent_links(regions, code):
    root = region(code)
    assert set(
        Region.objects.descendants_of(root, include_self=False).values_list("code", flat=True)
    ) == (_walk_down(root))
    with_self = set(region_descendants(region=root).values_list("code", flat=True))
    assert with_self == _walk_down(root) | {code}


def test_descendants_of_a_county_are_its_townships_and_villages_only(regions):
    meixian = region("441403")
    below = Region.objects.descendants_of(meixian)
    assert below.count() == 412
    assert set(below.values_list("level", flat=True)) == {"county", "township", "village"}
    # 梅江区 441402 is a sibling whose code shares a prefix with 梅县区's: not included.
    assert not below.filter(code="441402").exists()
    assert Region.objects.descendants_of(region("441402")).count() == 1


@pytest.mark.parametrize("code", ["440000", "441403", "441403101001"])
def test_descendants_is_one_query_whatever_the_size(regions, code, django_assert_num_queries):
    root = region(code)
    with django_assert_num_queries(1):
        rows = list(Region.objects.descendants_of(root))
    assert len(rows) >= 1


def test_search_finds_meixian_first_with_its_ancestor_names(regions, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        results = region_search(query="梅县")
    assert results[0].code == "441403"
    assert results[0].name == "梅县区"
    assert results[0].ancestor_names == ["广东省", "梅州市"]


def test_search_lists_broadest_first_and_tells_same_named_villages_apart(
    regions, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        results = region_search(query="天河", limit=50)
    assert [r.code for r in results][:2] == ["440106", "440106008"]
    assert [r.depth for r in results] == sorted(r.depth for r in results)

    with django_assert_max_num_queries(2):
        found = region_search(query="圩镇社区居委会", limit=50)
    assert all("圩镇社区居委会" in r.name for r in found)
    same = [r for r in found if r.name == "圩镇社区居委会"]
    assert len(same) == 10
    chains = [tuple(r.ancestor_names) for r in same]
    assert len(set(chains)) == 10  # each one under a different township
    for r in same:
        assert r.ancestor_names[:3] == ["广东省", "梅州市", "梅县区"]
        assert len(r.ancestor_names) == 4


def test_search_limit_and_within(regions):
    assert len(region_search(query="村委会", limit=7)) == 7
    within = region("441403101")
    results = region_search(query="村委会", limit=50, within=within)
    assert results
    assert all(r.path.startswith(within.path) for r in results)
    assert region_search(query="天河", within=region("441400")) == []


def test_an_empty_search_returns_nothing_without_a_query(regions, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert region_search(query="") == []
        assert region_search(query="   ") == []


def test_children(regions, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert [r.code for r in region_children(region=None)] == ["440000"]
    meixian = region("441403")
    with django_assert_num_queries(1):
        townships = list(region_children(region=meixian))
    assert len(townships) == 20
    assert [r.code for r in townships] == sorted(r.code for r in townships)
    assert {r.level for r in townships} == {"township"}
    assert {r.parent_id for r in townships} == {meixian.pk}
    assert len(region_children(region=region("440000"))) == 21


def test_ancestors_are_the_chain_from_the_province_in_one_query(regions, django_assert_num_queries):
    village = region("441403101001")
    with django_assert_num_queries(1):
        chain = region_ancestors(region=village)
    assert [r.code for r in chain] == ["440000", "441400", "441403", "441403101"]
    assert [r.name for r in chain][:3] == ["广东省", "梅州市", "梅县区"]
    assert region_ancestors(region=region("440000")) == []


def test_get_and_contains(regions):
    assert region_get(code="441403").parent.code == "441400"
    assert region_get(code="999999") is None
    meizhou, meixian, tianhe = region("441400"), region("441403"), region("440106")
    assert meizhou.contains(meixian)
    assert meixian.contains(meixian)
    assert not meixian.contains(meizhou)
    assert not meizhou.contains(tianhe)
    assert meixian.ancestor_codes == ["440000", "441400"]
