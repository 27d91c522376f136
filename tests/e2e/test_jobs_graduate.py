"""A graduate on a phone applies to the open round of 梅县区 with three ranked posts, then reads
their application's status and timeline in Chinese and in English."""

import re

import pytest
from playwright.sync_api import expect

from jobs.models import Application
from jobs.selectors.posts import jobs_public_cache_invalidate
from tests.factories import PASSWORD
from tests.jobs.builders import MEIXIAN, make_graduate, make_post, make_round, villages_of

from .conftest import E2E, PHONE

pytestmark = E2E


@pytest.fixture
def open_round(regions):
    """梅县区's open round: six posts in two townships, and one asking for Teochew."""
    round_ = make_round(MEIXIAN, max_preferences=5)
    villages = villages_of(MEIXIAN)
    posts = [make_post(round_, village) for village in villages[:6]]
    strict = make_post(round_, villages[40], dialects=["teochew"])
    # Made without the services, which would drop the cached search results of earlier tests.
    jobs_public_cache_invalidate()
    return round_, posts, strict


@pytest.mark.browser_context_args(viewport=PHONE)
def test_graduate_applies_with_three_ranked_posts_and_follows_the_status(
    live_server, open_round, page, sign_in, mailoutbox, assert_accessible
):
    base = live_server.url
    round_, posts, strict = open_round
    graduate = make_graduate(real_name="李小梅")  # a 梅县区 hometown, speaks Hakka
    sign_in(page, graduate.email, PASSWORD)

    # From the header's village posts to a post of the round, and its Apply button.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="村（社区）岗位").click()
    expect(page).to_have_url(f"{base}/zh-hans/jobs/posts/")
    assert_accessible(page)
    page.get_by_role("link", name=posts[0].village.name, exact=True).first.click()
    expect(page.locator("h1")).to_contain_text(posts[0].village.name)
    assert_accessible(page)
    page.locator("main").get_by_role("link", name="报名", exact=True).click()
    expect(page).to_have_url(f"{base}/zh-hans/jobs/applications/apply/{round_.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    # Only the posts open to the graduate are listed; the other one is a count and a link.
    picks = page.locator("input[name=pick]")
    expect(picks).to_have_count(6)
    expect(page.locator("main")).not_to_contain_text(strict.village.name)
    expect(page.get_by_text("7 个岗位中有 6 个符合您的报考条件")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="查看不符合报考条件的 1 个岗位及原因").click()
    expect(page.locator("main")).to_contain_text(strict.village.name)
    expect(page.locator("main")).to_contain_text("该岗位要求掌握以下方言之一：潮汕话")
    assert_accessible(page)
    page.go_back()

    # Tick three posts (by their labels) and add them to the choices.
    for post in (posts[1], posts[3], posts[4]):
        page.get_by_label(post.village.name, exact=True).check()
    page.get_by_role("button", name="将勾选的岗位加入我的志愿").click()
    expect(page).to_have_url(re.compile(r"\?chosen=[\d-]+#choices$"))
    choices = page.locator("#choices select")
    expect(choices).to_have_count(3)
    # Each numbered select lists only the chosen posts (and "—").
    expect(page.locator("#choice_1 option")).to_have_count(4)
    assert_accessible(page)

    # Rank them: 4th post first, then the 2nd, then the 5th.
    page.get_by_label("第1志愿").select_option(str(posts[3].pk))
    page.get_by_label("第2志愿").select_option(str(posts[1].pk))
    page.get_by_label("第3志愿").select_option(str(posts[4].pk))
    page.get_by_role("button", name="提交报名").click()

    # The application's page: status, next step, ranked posts, and the timeline.
    application = Application.objects.get(applicant=graduate)
    detail = f"/jobs/applications/{application.pk}/"
    expect(page).to_have_url(f"{base}/zh-hans{detail}")
    assert [p.post_id for p in application.preferences.all()] == [
        posts[3].pk,
        posts[1].pk,
        posts[4].pk,
    ]
    expect(page.locator("#application-status")).to_have_text("已提交")
    ranked = page.get_by_role("region", name="我的志愿岗位").locator("ol > li")
    expect(ranked).to_have_count(3)
    expect(ranked.nth(0)).to_contain_text(posts[3].village.name)
    expect(ranked.nth(2)).to_contain_text(posts[4].village.name)
    timeline = page.locator("ol.timeline > li")
    expect(timeline).to_have_count(1)
    expect(timeline.first).to_contain_text("已提交")
    assert_accessible(page)
    # A confirmation by e-mail, in the graduate's language.
    assert [m.to for m in mailoutbox] == [[graduate.email]]

    # In English: the same page.
    page.get_by_role("navigation", name="语言").get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{base}/en{detail}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#application-status")).to_have_text("Submitted")
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    expect(page.locator("ol.timeline > li").first).to_contain_text("Submitted")
    expect(page.get_by_role("heading", name="Your ranked posts")).to_be_visible()
    assert_accessible(page)
