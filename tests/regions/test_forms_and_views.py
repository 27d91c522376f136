"""RegionField, the region picker widget, and the public region browser page."""

from django import forms
from django.utils import translation

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from regions.forms import RegionField, RegionPickerWidget
from regions.models import Region
from tests.factories import load_small_regions, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions():
    load_small_regions()


class CountyOrTownshipForm(forms.Form):
    region = RegionField(min_level="county", max_level="township")


class AnyRegionForm(forms.Form):
    region = RegionField(required=False)


def _errors(form: forms.Form) -> list[str]:
    with translation.override("en"):
        assert not form.is_valid()
        return [str(message) for message in form.errors["region"]]


def test_a_known_code_cleans_to_the_region(regions):
    form = CountyOrTownshipForm({"region": " 441403 "})
    assert form.is_valid(), form.errors
    assert isinstance(form.cleaned_data["region"], Region)
    assert form.cleaned_data["region"].name == "梅县区"


def test_an_unknown_code_is_an_error(regions):
    assert _errors(CountyOrTownshipForm({"region": "441499"})) == [
        "There is no region with the code 441499."
    ]
    assert _errors(CountyOrTownshipForm({"region": "梅县"})) == [
        "There is no region with the code 梅县."
    ]


def test_a_region_above_min_level_is_an_error(regions):
    assert _errors(CountyOrTownshipForm({"region": "441400"})) == [
        "Choose a region at County level or below."
    ]


def test_a_region_below_max_level_is_an_error(regions):
    assert _errors(CountyOrTownshipForm({"region": "441403101001"})) == [
        "Choose a region at Township level or above."
    ]


def test_levels_at_the_bounds_are_accepted(regions):
    assert CountyOrTownshipForm({"region": "441403"}).is_valid()
    assert CountyOrTownshipForm({"region": "441403101"}).is_valid()


def test_required_and_optional(regions):
    with translation.override("en"):
        assert list(CountyOrTownshipForm({"region": ""}).errors["region"]) == [
            "This field is required."
        ]
    form = AnyRegionForm({"region": ""})
    assert form.is_valid()
    assert form.cleaned_data["region"] is None


def test_has_changed_compares_codes(regions):
    meixian = region("441403")
    assert not AnyRegionForm({"region": "441403"}, initial={"region": meixian}).has_changed()
    assert AnyRegionForm({"region": "441402"}, initial={"region": meixian}).has_changed()


@pytest.mark.parametrize("initial", ["441403101", "region"])
def test_the_widget_renders_the_ancestor_chain_of_its_initial_value(regions, initial):
    value = region("441403101") if initial == "region" else initial
    html = str(AnyRegionForm(initial={"region": value})["region"])
    assert 'value="441403101"' in html
    assert "广东省 › 梅州市 › 梅县区 › 城东镇" in html
    assert "data-region-picker" in html
    assert 'data-max-depth="4"' in html


def test_the_widget_max_depth_follows_the_field_and_includes_its_script(regions):
    form = CountyOrTownshipForm()
    assert 'data-max-depth="3"' in str(form["region"])
    assert "regions/region-picker.js" in str(form.media)
    # An unknown value is kept as typed, with no chain.
    html = RegionPickerWidget().render("region", "999999", attrs={"id": "id_region"})
    assert 'value="999999"' in html
    assert "›" not in html


# --- the public browser page ------------------------------------------------------------------


def test_the_browser_shows_a_region_its_chain_and_its_children(client, regions):
    response = client.get("/zh-hans/regions/", {"region": "441403"})
    assert response.status_code == 200
    assert response.context["region"].code == "441403"
    children = list(response.context["children"])
    assert len(children) == 20
    for child in children:
        assertContains(response, f'href="?region={child.code}"')
        assertContains(response, child.name)
    assertContains(response, "梅州市")
    assertContains(response, "441403")


@pytest.mark.parametrize(
    ("code", "children"), [("440000", 21), ("441403", 20), ("441403101", 13), ("441403101001", 0)]
)
def test_the_browser_page_is_bounded_in_queries(
    client, regions, django_assert_max_num_queries, code, children
):
    with django_assert_max_num_queries(12):
        response = client.get("/zh-hans/regions/", {"region": code})
    assert len(list(response.context["children"])) == children


def test_the_browser_shows_a_form_error_for_an_unknown_code(client, regions):
    response = client.get("/zh-hans/regions/", {"region": "441499"})
    assert response.status_code == 200
    assert response.context["region"] is None
    assert response.context["form"].errors["region"]
    assertContains(response, "errorlist")
    assertNotContains(response, 'href="?region=')

    response = client.get("/en/regions/", {"region": "441499"})
    assertContains(response, "There is no region with the code 441499.")


def test_the_browser_without_a_region_shows_the_empty_form(client, regions):
    response = client.get("/en/regions/")
    assert response.status_code == 200
    assert response.context["region"] is None
    assertContains(response, 'name="region"')
    assertNotContains(response, "errorlist")
