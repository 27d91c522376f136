"""A visitor on a phone reads the home page and an announcement in both languages."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import E2E, PHONE

pytestmark = E2E


@pytest.mark.browser_context_args(viewport=PHONE)
def test_visitor_reads_news_in_both_languages(live_server, site, page, assert_accessible):
    base = live_server.url

    page.goto(f"{base}/zh-hans/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("h1")).to_have_text("乡村数字人才平台")
    # The stylesheet loaded: the header wears the platform's red.
    header_bg = page.locator(".site-header").evaluate("el => getComputedStyle(el).backgroundColor")
    assert header_bg == "rgb(183, 28, 28)", f"site.css not applied (header background {header_bg})"

    # Keyboard users first meet the skip link, and it shows itself when focused.
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_class("skip-link")
    expect(focused).to_have_attribute("href", "#main")
    box = focused.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (
        f"focused skip link is off screen: {box}"
    )
    assert_accessible(page)

    # The language switch is on screen on a phone; it leads to the English home page.
    switch = page.get_by_role("navigation", name=re.compile("语言|Language"))
    english = switch.get_by_role("link", name="English")
    expect(english).to_be_visible()
    english.click()
    expect(page).to_have_url(f"{base}/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Rural Digital Talent Platform")
    assert_accessible(page)

    # From the home page to the announcements index, then to one announcement.
    page.get_by_role("link", name="Announcements and policies").click()
    expect(page).to_have_url(f"{base}/en/news/")
    expect(page.locator("h1")).to_have_text("Announcements")
    assert_accessible(page)

    page.get_by_role("link", name="The Rural Digital Talent Platform opens for trial use").click()
    expect(page).to_have_url(f"{base}/en/news/platform-launch/")
    expect(page.locator("h1")).to_have_text("The Rural Digital Talent Platform opens for trial use")
    assert_accessible(page)

    # Back to Chinese on the same announcement: its Chinese translation, not the home page.
    page.get_by_role("navigation", name="Language").get_by_role("link", name="简体中文").click()
    expect(page).to_have_url(f"{base}/zh-hans/news/platform-launch/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("h1")).to_have_text("乡村数字人才平台上线试运行")
    assert_accessible(page)
