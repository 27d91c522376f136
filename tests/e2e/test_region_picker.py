"""A cadre on a phone sets their region with the picker: by name, then level by level."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, Role, region, user_with_role

from .conftest import E2E, PHONE

pytestmark = E2E

FIELD = "#id_home_region"


@pytest.mark.browser_context_args(viewport=PHONE)
def test_cadre_sets_home_region_with_the_picker(
    live_server, site, page, sign_in, assert_accessible
):
    base = live_server.url
    cadre = user_with_role(Role.CADRE, "441403")
    sign_in(page, cadre.email, PASSWORD)
    expect(page).to_have_url(f"{base}/zh-hans/me/")

    page.goto(f"{base}/zh-hans/me/profile/")
    code = page.locator(FIELD)
    # The picker's script loaded and enhanced the plain code input.
    search = page.locator(f"{FIELD}-search")
    expect(search).to_be_visible()
    expect(page.locator(f"{FIELD}-level-0")).to_be_visible()
    assert_accessible(page)

    # By name: 程江 finds the township 程江镇 of 梅县区 (and villages named after it).
    search.fill("程江")
    results = page.locator(".region-picker__results")
    township = results.get_by_role("button", name=re.compile(r"梅县区 › 程江镇$"))
    expect(township).to_be_visible()
    assert_accessible(page)
    township.click()
    expect(code).to_have_value(re.compile(r"^441403\d{3}$"))
    expect(code).to_have_value("441403132")
    expect(page.locator("[data-chain]")).to_have_text("广东省 › 梅州市 › 梅县区 › 程江镇")
    # The selects follow the choice, down to the villages of 程江镇.
    expect(page.locator(f"{FIELD}-level-3")).to_have_value("441403132")
    expect(page.locator(f"{FIELD}-level-4 option").nth(1)).to_be_attached()

    # Level by level: province → 梅州市 → 梅县区 → a township → a village.
    page.locator(f"{FIELD}-level-0").select_option("440000")
    page.locator(f"{FIELD}-level-1").select_option(label="梅州市")
    expect(code).to_have_value("441400")
    page.locator(f"{FIELD}-level-2").select_option(label="梅县区")
    expect(code).to_have_value("441403")
    townships = page.locator(f"{FIELD}-level-3")
    expect(townships.locator("option").nth(1)).to_be_attached()
    town_code = townships.locator("option").nth(1).get_attribute("value")
    townships.select_option(town_code)
    villages = page.locator(f"{FIELD}-level-4")
    expect(villages.locator("option").nth(1)).to_be_attached()
    village_code = villages.locator("option").nth(1).get_attribute("value")
    villages.select_option(village_code)
    expect(code).to_have_value(village_code)
    assert village_code.startswith(town_code)
    village = region(village_code)
    chain = f"广东省 › 梅州市 › 梅县区 › {village.parent.name} › {village.name}"
    expect(page.locator("[data-chain]")).to_have_text(chain)
    expect(page.locator(".region-picker__levels select")).to_have_count(5)
    assert_accessible(page)

    page.locator("main form [type=submit]").click()
    expect(page.locator(".messages .message--success")).to_be_visible()
    cadre.refresh_from_db()
    assert cadre.home_region == village

    # After a reload the saved region is shown as a chain, and the selects are set to it.
    page.reload()
    expect(code).to_have_value(village_code)
    expect(page.locator("[data-chain]")).to_have_text(chain)
    expect(page.locator(f"{FIELD}-level-4")).to_have_value(village_code)
    assert_accessible(page)
