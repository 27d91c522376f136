"""Importing the real file of Guangdong's 28,639 administrative divisions.

Each test here imports the whole file (about 2 s on SQLite), so only the tests that need the
real numbers do; everything else uses ``load_small_regions()``.
"""

from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db.models import Q

import pytest

from regions.choices import UNDER_SERVED_CITY_CODES
from regions.models import Region
from regions.services import regions_import

pytestmark = pytest.mark.django_db

REGIONS_CSV = Path(settings.SHARED_DATA_DIR) / "regions-guangdong.csv"
LEVEL_COUNTS = {"province": 1, "city": 21, "county": 122, "township": 1760, "village": 26735}
TOTAL = 28639
# The nine cities of the Pearl River Delta (珠三角): not under-served.
PRD_CITY_CODES = {
    "440100",
    "440300",
    "440400",
    "440600",
    "441300",
    "441900",
    "442000",
    "440700",
    "441200",
}


def _under(*codes: str) -> Q:
    """Regions at or below any of these cities (by the materialised path)."""
    q = Q()
    for code in codes:
        q |= Q(path__startswith=f"440000/{code}/")
    return q


def test_full_file_imports_every_level_with_the_exact_counts():
    result = regions_import(source=REGIONS_CSV)

    assert result.created == TOTAL
    assert result.updated == 0
    assert result.unchanged == 0
    assert result.by_level == LEVEL_COUNTS
    assert Region.objects.count() == TOTAL
    for level, count in LEVEL_COUNTS.items():
        assert Region.objects.filter(level=level).count() == count, level
    # Every region but the province hangs from a parent above it: one level up, except the
    # townships of 东莞 and 中山, cities without counties.
    assert Region.objects.filter(parent__isnull=True).count() == 1
    for depth in range(1, 5):
        assert not Region.objects.filter(depth=depth, parent__depth__gte=depth).exists()
    skipping = Region.objects.filter(level="township", parent__level="city")
    assert set(skipping.values_list("parent__code", flat=True)) == {"441900", "442000"}
    assert skipping.count() == 59
    assert not Region.objects.filter(level="village").exclude(parent__level="township").exists()

    # 粤东西北: the 12 cities and everything below them, nothing else.
    cities = set(Region.objects.filter(level="city").values_list("code", flat=True))
    assert cities >= UNDER_SERVED_CITY_CODES
    assert cities - UNDER_SERVED_CITY_CODES == PRD_CITY_CODES
    below_12 = Region.objects.filter(_under(*UNDER_SERVED_CITY_CODES))
    assert below_12.count() > 10000
    assert not below_12.filter(under_served=False).exists()
    assert not Region.objects.filter(_under(*PRD_CITY_CODES), under_served=True).exists()
    assert Region.objects.filter(under_served=True).count() == below_12.count()
    assert not Region.objects.get(code="440000").under_served

    meizhou, meixian = Region.objects.get(code="441400"), Region.objects.get(code="441403")
    assert (meizhou.name, meizhou.under_served) == ("梅州市", True)
    assert (meixian.name, meixian.under_served, meixian.parent_id) == ("梅县区", True, meizhou.pk)
    meixian_villages = Region.objects.filter(level="village", path__startswith=meixian.path)
    assert meixian_villages.count() > 300
    assert not meixian_villages.filter(under_served=False).exists()
    guangzhou, tianhe = Region.objects.get(code="440100"), Region.objects.get(code="440106")
    assert (guangzhou.name, guangzhou.under_served) == ("广州市", False)
    assert (tianhe.name, tianhe.under_served) == ("天河区", False)
    assert not Region.objects.filter(path__startswith=tianhe.path, under_served=True).exists()


def test_command_prints_a_summary_and_a_second_run_changes_nothing():
    out = StringIO()
    call_command("import_regions", str(REGIONS_CSV), "--no-progress", stdout=out)
    assert out.getvalue().strip() == (
        f"Regions: {TOTAL} created, 0 updated, 0 unchanged "
        "(province 1, city 21, county 122, township 1760, village 26735)."
    )
    before = list(Region.objects.order_by("code").values_list())

    out = StringIO()
    call_command("import_regions", str(REGIONS_CSV), "--no-progress", stdout=out)
    assert out.getvalue().strip() == (
        f"Regions: 0 created, 0 updated, {TOTAL} unchanged "
        "(province 1, city 21, county 122, township 1760, village 26735)."
    )
    # Same rows, same ids, same paths: nothing was recreated or rewritten.
    assert list(Region.objects.order_by("code").values_list()) == before
