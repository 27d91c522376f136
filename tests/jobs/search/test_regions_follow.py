"""A regions import that moves a township takes its villages' posts along in the public search."""

from django.utils import translation

from jobs.selectors.posts import post_search_page, post_search_parse
from regions.services import regions_import
from tests.factories import load_small_regions, region, small_regions_csv
from tests.jobs.builders import load_reference_data, make_post, make_round

MEIXIAN, MEIJIANG, CHENGDONG = "441403", "441402", "441403101"


def found(code: str) -> set[int]:
    search = post_search_parse(region=code)
    return {post.pk for post in post_search_page(search=search, per_page=1000)["posts"]}


def test_posts_of_a_moved_township_are_found_under_its_new_county(
    db, client, django_capture_on_commit_callbacks
):
    load_small_regions()
    load_reference_data()
    round_ = make_round(MEIXIAN)
    village = region(CHENGDONG).children.order_by("code").first()
    post = make_post(round_, village)
    with translation.override("zh-hans"):
        before = client.get("/zh-hans/jobs/posts/", {"region": MEIJIANG}).content.decode()
    assert village.name not in before and found(MEIJIANG) == set()  # now cached as empty

    moved = (
        small_regions_csv()
        .decode()
        .replace(
            f"{CHENGDONG},城东镇,township,{MEIXIAN}", f"{CHENGDONG},城东镇,township,{MEIJIANG}"
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        regions_import(source=moved.encode())

    post.refresh_from_db()
    assert post.region_path == region(village.code).path
    assert post.pk in found(MEIJIANG) and post.pk not in found(MEIXIAN)
    after = client.get("/zh-hans/jobs/posts/", {"region": MEIJIANG}).content.decode()
    assert village.name in after  # the cached empty answer was dropped
