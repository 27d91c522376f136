"""The public site in both languages: home, announcements, standard pages and the language switch."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page

import pytest
from bs4 import BeautifulSoup

from cms.models import HomePage, NewsIndexPage, NewsPage, StandardPage

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def language_links(response) -> dict[str, str]:
    """The language switch: {language code: href} for the languages the page is not shown in."""
    nav = soup(response).select_one("nav.lang-switch")
    assert nav is not None, "the page has no language switch"
    return {a["hreflang"]: a["href"] for a in nav.select("a[hreflang]")}


def test_home_page_in_chinese(client, demo_pages):
    response = client.get("/zh-hans/")

    assert response.status_code == 200
    html = soup(response)
    assert html.html["lang"] == "zh-hans"
    assert html.title.string.startswith("乡村数字人才平台 ·")
    assert html.h1.get_text(strip=True) == "乡村数字人才平台"
    # The latest announcements are listed, newest first, in Chinese.
    news = [a.get_text(strip=True) for a in html.select(".news-list a")]
    assert news == [
        "2027年村（社区）公共服务站专职操作员招募预告",
        "乡村数字人才平台上线试运行",
        "关于减轻基层数据填报负担的工作要求",
    ]


def test_home_page_in_english(client, demo_pages):
    response = client.get("/en/")

    assert response.status_code == 200
    html = soup(response)
    assert html.html["lang"] == "en"
    assert html.title.string.startswith("Rural Digital Talent Platform ·")
    assert html.h1.get_text(strip=True) == "Rural Digital Talent Platform"
    assert "乡村数字人才平台上线试运行" not in response.content.decode()
    news = [a.get_text(strip=True) for a in html.select(".news-list a")]
    assert "The Rural Digital Talent Platform opens for trial use" in news
    # Links from the English home page stay in English.
    assert all(a["href"].startswith("/en/") for a in html.select(".news-list a"))


def test_news_index_lists_news_and_filters_by_kind(client, demo_pages):
    everything = client.get("/zh-hans/news/")
    policies = client.get("/zh-hans/news/?kind=policy")
    unknown_kind = client.get("/zh-hans/news/?kind=nonsense")

    assert everything.status_code == policies.status_code == unknown_kind.status_code == 200
    titles = [a.get_text(strip=True) for a in soup(everything).select(".news-list a")]
    assert len(titles) == 3
    assert "关于减轻基层数据填报负担的工作要求" in titles
    assert [a.get_text(strip=True) for a in soup(policies).select(".news-list a")] == [
        "关于减轻基层数据填报负担的工作要求"
    ]
    # The "Policy" filter is marked as the current one.
    current = soup(policies).select_one(".filters a[aria-current]")
    assert current["href"] == "?kind=policy"
    # An unknown kind shows everything rather than an empty list.
    assert len(soup(unknown_kind).select(".news-list a")) == 3


def test_news_index_in_english_lists_english_news(client, demo_pages):
    response = client.get("/en/news/?kind=policy")

    assert response.status_code == 200
    assert [a.get_text(strip=True) for a in soup(response).select(".news-list a")] == [
        "Requirements on reducing the reporting burden on grassroots staff"
    ]


def test_news_page_renders(client, demo_pages):
    response = client.get("/zh-hans/news/platform-launch/")

    assert response.status_code == 200
    html = soup(response)
    assert html.h1.get_text(strip=True) == "乡村数字人才平台上线试运行"
    assert "不需要拍照、定位打卡" in html.select_one(".rich-text").get_text()
    assert html.select_one("time")["datetime"] == "2026-11-20"


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/zh-hans/about/", "关于平台"),
        ("/zh-hans/privacy/", "隐私政策"),
        ("/en/about/", "About the platform"),
        ("/en/privacy/", "Privacy notice"),
    ],
)
def test_standard_pages_render(client, demo_pages, url, heading):
    response = client.get(url)

    assert response.status_code == 200
    assert soup(response).h1.get_text(strip=True) == heading


def test_language_switch_links_every_page_to_its_translation(client, demo_pages):
    """On every demo page, the other language's link opens that page's translation."""
    pages = Page.objects.live().type(HomePage, NewsIndexPage, NewsPage, StandardPage).specific()
    checked = 0
    for page in pages:
        language = page.locale.language_code
        other = "en" if language == "zh-hans" else "zh-hans"
        translation = page.get_translations().get()
        response = client.get(page.url)
        assert response.status_code == 200, page.url

        links = language_links(response)

        assert set(links) == {other}, page.url
        assert links[other] == translation.url, page.url
        translated = client.get(links[other])
        assert translated.status_code == 200, links[other]
        assert soup(translated).html["lang"] == other
        assert soup(translated).h1.get_text(strip=True) == translation.title
        checked += 1
    assert checked == 14  # 7 pages, each in two languages


def test_language_switch_on_a_news_page_opens_the_english_translation(client, demo_pages):
    response = client.get("/zh-hans/news/data-governance-policy/")

    english_url = language_links(response)["en"]
    english = client.get(english_url)

    assert english_url == "/en/news/data-governance-policy/"
    assert english.status_code == 200
    assert soup(english).h1.get_text(strip=True) == (
        "Requirements on reducing the reporting burden on grassroots staff"
    )
    assert language_links(english)["zh-hans"] == "/zh-hans/news/data-governance-policy/"


def test_language_switch_outside_the_cms_keeps_the_path(client, demo_pages):
    response = client.get("/zh-hans/accounts/login/")

    assert response.status_code == 200
    assert language_links(response)["en"] == "/en/accounts/login/"


def test_root_redirects_a_browser_without_preference_to_chinese(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/"


def test_root_redirects_an_english_browser_to_english(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_root_redirects_a_chinese_browser_to_chinese(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.8")

    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/"


def test_home_page_cold_render_uses_at_most_ten_queries(
    client, demo_pages, django_assert_max_num_queries
):
    """Anonymous visitor, nothing cached: the home page is still cheap to render."""
    with django_assert_max_num_queries(10):
        response = client.get("/zh-hans/")

    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss"


def test_news_index_renders_in_bounded_queries_whatever_the_amount_of_news(client, demo_pages):
    def cold_render_queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/zh-hans/news/")
        assert response.status_code == 200
        return len(queries.captured_queries)

    with_three = cold_render_queries()
    index = NewsIndexPage.objects.get(locale__language_code="zh-hans")
    for n in range(12):
        page = NewsPage(
            title=f"通知 {n}", slug=f"extra-{n}", summary="摘要", body=[], locale=index.locale
        )
        index.add_child(instance=page)
        page.save_revision().publish()
    with_fifteen = cold_render_queries()

    assert with_fifteen == with_three
    assert with_three <= 13
    response = client.get("/zh-hans/news/")
    assert len(soup(response).select(".news-list a")) == NewsIndexPage.PAGE_SIZE
    assert soup(response).select_one('a[rel="next"]')["href"] == "?page=2"
