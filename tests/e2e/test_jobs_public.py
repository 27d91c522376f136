"""A visitor, not signed in, finds the village posts of one county with the region picker and
opens one: its page carries a schema.org JobPosting for search engines."""

import json
import re

import pytest
from playwright.sync_api import expect

from jobs.selectors.posts import jobs_public_cache_invalidate
from tests.jobs.builders import MEIXIAN, TIANHE, make_post, make_round, villages_of

from .conftest import E2E, PHONE

pytestmark = E2E


@pytest.fixture
def open_posts(regions):
    """Two posts of 梅县区's open round and one of 天河区's."""
    meixian = make_round(MEIXIAN)
    tianhe = make_round(TIANHE)
    villages = villages_of(MEIXIAN)
    ours = [
        make_post(meixian, villages[0], monthly_subsidy_fen=300_000),
        make_post(meixian, villages[25]),
    ]
    other = make_post(tianhe, villages_of(TIANHE)[0])
    # Made without the services, which would drop the cached search results of earlier tests.
    jobs_public_cache_invalidate()
    return ours, other


@pytest.mark.browser_context_args(viewport=PHONE)
def test_visitor_searches_posts_by_region_and_reads_one(
    live_server, site, open_posts, page, assert_accessible
):
    base = live_server.url
    ours, other = open_posts

    page.goto(f"{base}/zh-hans/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="村（社区）岗位").click()
    expect(page).to_have_url(f"{base}/zh-hans/jobs/posts/")
    # Every open post, before narrowing.
    results = page.locator("main .post-results > li")
    expect(results).to_have_count(3)
    assert_accessible(page)

    # The region picker, by name: 梅县区.
    page.locator("#id_region-search").fill("梅县")
    county = page.locator(".region-picker__results").get_by_role(
        "button", name=re.compile(r"梅州市 › 梅县区$")
    )
    expect(county).to_be_visible()
    assert_accessible(page)
    county.click()
    expect(page.locator("#id_region")).to_have_value(MEIXIAN)
    page.locator("main form[role=search] button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/zh-hans/jobs/posts/\?(.*&)?region=441403(&|$)"))
    expect(results).to_have_count(2)
    for post in ours:
        expect(page.locator("main")).to_contain_text(post.village.name)
    expect(page.locator("main .post-results")).not_to_contain_text(other.village.name)
    assert_accessible(page)

    # A post's page, with its JobPosting.
    results.get_by_role("link", name=ours[0].village.name, exact=True).click()
    expect(page).to_have_url(f"{base}/zh-hans/jobs/posts/{ours[0].pk}/")
    expect(page.locator("h1")).to_contain_text(ours[0].village.name)
    assert_accessible(page)
    ld = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert ld["@context"] == "https://schema.org/"
    assert ld["@type"] == "JobPosting"
    assert ld["title"] == ours[0].title
    assert ld["jobLocation"]["address"]["addressRegion"] == "广东省"
    assert ld["jobLocation"]["address"]["addressLocality"] == "梅州市梅县区"
    assert ours[0].village.name in ld["jobLocation"]["address"]["streetAddress"]
    assert ld["baseSalary"]["currency"] == "CNY"
    assert ld["baseSalary"]["value"]["value"] == 3000
    assert ld["url"] == page.url
    assert ld["validThrough"]
