import pytest

from tests.factories import load_small_regions, region


@pytest.mark.django_db
def test_small_region_set_loads_the_two_demo_counties():
    load_small_regions()
    meixian = region("441403")
    assert meixian.name == "梅县区"
    assert meixian.under_served
    assert not region("440106").under_served
