"""The public region endpoints of /api/v1/."""

import pytest

from tests.factories import load_small_regions

pytestmark = pytest.mark.django_db

FIELDS = {
    "code",
    "name",
    "level",
    "level_label",
    "depth",
    "parent_code",
    "under_served",
    "ancestor_codes",
    "ancestor_names",
}


@pytest.fixture
def regions():
    load_small_regions()


def test_one_region_by_code(client, regions):
    response = client.get("/api/v1/regions/441403")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == FIELDS
    assert body["code"] == "441403"
    assert body["name"] == "梅县区"
    assert body["level"] == "county"
    assert body["depth"] == 2
    assert body["parent_code"] == "441400"
    assert body["under_served"] is True
    assert body["ancestor_codes"] == ["440000", "441400"]
    assert body["ancestor_names"] == ["广东省", "梅州市"]


def test_the_province_has_no_parent(client, regions):
    body = client.get("/api/v1/regions/440000").json()
    assert (body["parent_code"], body["ancestor_codes"], body["ancestor_names"]) == (None, [], [])
    assert body["under_served"] is False


def test_level_label_follows_the_language(client, regions):
    body = client.get("/api/v1/regions/441403", headers={"accept-language": "en"}).json()
    assert body["level_label"] == "County"


def test_children_of_a_region(client, regions, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/regions/441403/children")
    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) == 20
    codes = [item["code"] for item in items]
    assert codes == sorted(codes)
    assert "441403101" in codes
    for item in items:
        assert set(item) == FIELDS
        assert item["level"] == "township"
        assert item["parent_code"] == "441403"
        assert item["ancestor_names"] == ["广东省", "梅州市", "梅县区"]
        assert item["under_served"] is True


def test_a_village_has_no_children(client, regions):
    response = client.get("/api/v1/regions/441403101001/children")
    assert response.status_code == 200
    assert response.json() == {"items": []}


def test_search_by_chinese_name_finds_meixian_first(client, regions, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get("/api/v1/regions", {"q": "梅县"})
    assert response.status_code == 200
    items = response.json()["items"]
    assert items[0]["code"] == "441403"
    assert items[0]["name"] == "梅县区"
    assert items[0]["ancestor_names"] == ["广东省", "梅州市"]
    assert all("梅县" in item["name"] for item in items)


def test_search_respects_limit_and_caps_it(client, regions):
    assert len(client.get("/api/v1/regions", {"q": "村委会", "limit": 3}).json()["items"]) == 3
    assert len(client.get("/api/v1/regions", {"q": "村委会", "limit": 500}).json()["items"]) == 50
    assert client.get("/api/v1/regions", {"q": "不存在的地名"}).json() == {"items": []}


def test_without_q_the_list_is_the_province(client, regions):
    response = client.get("/api/v1/regions")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [(i["code"], i["name"], i["level"]) for i in items] == [("440000", "广东省", "province")]


@pytest.mark.parametrize("path", ["/api/v1/regions/441499", "/api/v1/regions/441499/children"])
def test_an_unknown_code_is_a_json_404(client, regions, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "not_found"
    assert isinstance(body["message"], str)
    assert body["message"]


def test_the_endpoints_need_no_sign_in_and_appear_in_the_schema(client, regions):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/regions", "/api/v1/regions/{code}", "/api/v1/regions/{code}/children"} <= set(
        schema["paths"]
    )
