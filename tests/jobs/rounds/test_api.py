"""GET /api/v1/rounds and GET /api/v1/posts: public, paginated, the same search as the page."""

import pytest

from jobs.choices import RoundStage
from jobs.models import Post
from tests.jobs.builders import MEIXIAN, TIANHE, make_round, villages_of

TOWN = "441403001"


@pytest.fixture
def posts(regions):
    meixian = make_round(MEIXIAN, stage=RoundStage.APPLICATIONS_OPEN, name="梅县区招聘", year=2026)
    tianhe = make_round(TIANHE, stage=RoundStage.ANNOUNCED, name="天河区招聘", year=2027)
    draft = make_round(MEIXIAN, stage=RoundStage.DRAFT, name="草稿批次")
    Post.objects.bulk_create(
        [
            Post(round=r, village=v, region_path=v.path, monthly_subsidy_fen=320050)
            for r, code in ((meixian, MEIXIAN), (tianhe, TIANHE), (draft, MEIXIAN))
            for v in villages_of(code)[:30]
        ]
    )
    return {"meixian": meixian, "tianhe": tianhe, "draft": draft}


def test_rounds_lists_public_rounds_with_counts(client, posts):
    response = client.get("/api/v1/rounds")
    assert response.status_code == 200
    items = {r["name"]: r for r in response.json()["items"]}
    assert set(items) == {"梅县区招聘", "天河区招聘"}
    assert items["梅县区招聘"]["post_count"] == 30
    assert items["梅县区招聘"]["region_code"] == MEIXIAN
    assert items["天河区招聘"]["stage"] == "announced"


def test_rounds_filters_by_year_and_region(client, posts):
    assert [r["name"] for r in client.get("/api/v1/rounds?year=2027").json()["items"]] == [
        "天河区招聘"
    ]
    by_town = client.get(f"/api/v1/rounds?region={TOWN}").json()["items"]
    assert [r["name"] for r in by_town] == ["梅县区招聘"]  # the county above the township
    by_city = client.get("/api/v1/rounds?region=440100").json()["items"]
    assert [r["name"] for r in by_city] == ["天河区招聘"]  # the county below the city


def test_rounds_bad_parameters(client, posts):
    response = client.get("/api/v1/rounds?region=999999")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    response = client.get("/api/v1/rounds?year=abc")
    assert response.status_code == 422 and response.json()["code"] == "validation_error"


def test_posts_search_by_region_and_round_with_limit_and_offset(client, posts):
    body = client.get(f"/api/v1/posts?region={MEIXIAN}&limit=10").json()
    assert body["count"] == 30 and body["limit"] == 10 and body["offset"] == 0
    assert len(body["items"]) == 10
    first = body["items"][0]
    assert first["county_name"] == "梅县区" and first["monthly_subsidy_yuan"] == 3200.5
    assert first["round_id"] == posts["meixian"].pk
    page2 = client.get(f"/api/v1/posts?region={MEIXIAN}&limit=10&offset=10").json()
    assert not {p["id"] for p in body["items"]} & {p["id"] for p in page2["items"]}
    by_round = client.get(f"/api/v1/posts?round={posts['tianhe'].pk}&limit=100").json()
    assert by_round["count"] == 30
    assert {p["village_code"][:6] for p in by_round["items"]} == {TIANHE}
    everything = client.get("/api/v1/posts").json()
    assert everything["count"] == 60 and len(everything["items"]) == 25
    past_the_end = client.get("/api/v1/posts?offset=500").json()
    assert past_the_end["count"] == 60 and past_the_end["items"] == []


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("region=999999", 404),
        ("round=123456", 404),
        ("limit=0", 422),
        ("limit=101", 422),
        ("offset=-1", 422),
        ("round=abc", 422),
    ],
)
def test_posts_bad_parameters(client, posts, query, status):
    response = client.get(f"/api/v1/posts?{query}")
    assert response.status_code == status
    assert "code" in response.json()


def test_draft_rounds_are_not_searchable(client, posts):
    response = client.get(f"/api/v1/posts?round={posts['draft'].pk}")
    assert response.status_code == 404


def test_posts_query_count_is_bounded_and_repeats_come_from_the_cache(
    client, posts, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):  # region, count, rows
        client.get(f"/api/v1/posts?region={MEIXIAN}&limit=100")
    with django_assert_max_num_queries(0):
        client.get(f"/api/v1/posts?region={MEIXIAN}&limit=100")


def test_the_endpoints_are_in_the_openapi_schema(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/rounds" in paths and "/api/v1/posts" in paths
    names = {p["name"] for p in paths["/api/v1/posts"]["get"]["parameters"]}
    assert {"region", "round", "q", "limit", "offset"} <= names
