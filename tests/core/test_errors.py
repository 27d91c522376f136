"""Error pages speak the visitor's language and keep the site's header and footer (DEBUG off)."""

from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def translated(message: str, language: str) -> str:
    with translation.override(language):
        return gettext(message)


def assert_site_shell(html: BeautifulSoup, language: str) -> None:
    """The page has the site's header (brand, language switch, navigation) and footer."""
    assert html.html["lang"] == language
    assert html.select_one("header.site-header a.brand")["href"] == f"/{language}/"
    assert html.select_one("nav.lang-switch") is not None
    assert html.select_one("nav.main-nav") is not None
    assert html.select_one("footer.site-footer") is not None


def test_error_pages_are_tested_as_visitors_see_them():
    assert django_settings.DEBUG is False


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_404_is_translated_and_uses_the_site_shell(client, demo_pages, language):
    response = client.get(f"/{language}/no-such-page/")

    assert response.status_code == 404
    html = soup(response)
    assert_site_shell(html, language)
    assert html.h1.get_text(strip=True) == translated("Page not found", language)
    assert html.select_one("main a")["href"] == f"/{language}/"
    # The language switch leads to the same address in the other language.
    other = "en" if language == "zh-hans" else "zh-hans"
    assert (
        html.select_one(f'nav.lang-switch a[hreflang="{other}"]')["href"]
        == f"/{other}/no-such-page/"
    )


def test_404_in_english_reads_english(client, demo_pages):
    response = client.get("/en/news/no-such-news/")

    assert response.status_code == 404
    html = soup(response)
    assert html.h1.get_text(strip=True) == "Page not found"
    assert "does not exist" in html.select_one("main").get_text()


def test_404_in_chinese_is_not_the_english_page(client, demo_pages):
    chinese = soup(client.get("/zh-hans/news/no-such-news/"))
    english = soup(client.get("/en/news/no-such-news/"))

    assert chinese.h1.get_text(strip=True) != english.h1.get_text(strip=True)
    assert chinese.title.get_text() != english.title.get_text()


def test_404_without_a_language_prefix_redirects_into_the_default_language(client, demo_pages):
    response = client.get("/no-such-page/", follow=True)

    assert response.redirect_chain == [("/zh-hans/no-such-page/", 302)]
    assert response.status_code == 404
    assert soup(response).html["lang"] == "zh-hans"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_403_is_translated_and_uses_the_site_shell(client, settings, language):
    settings.ROOT_URLCONF = "tests.cms.urls"

    response = client.get(f"/{language}/test-only/forbidden/")

    assert response.status_code == 403
    html = soup(response)
    assert_site_shell(html, language)
    assert html.h1.get_text(strip=True) == translated("Access denied", language)
    if language == "en":
        assert "does not have permission" in html.select_one("main").get_text()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_csrf_failure_says_the_form_has_expired(db, language):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(
        f"/{language}/accounts/login/", {"login": "someone@example.gd.cn", "password": "x"}
    )

    assert response.status_code == 403
    html = soup(response)
    assert_site_shell(html, language)
    assert html.h1.get_text(strip=True) == translated("The form has expired", language)
    if language == "en":
        assert html.h1.get_text(strip=True) == "The form has expired"
        assert "Nothing was saved" in html.select_one("main").get_text()


def test_csrf_failure_in_chinese_is_not_the_english_page(db):
    browser = Client(enforce_csrf_checks=True)

    chinese = soup(browser.post("/zh-hans/accounts/login/", {}))
    english = soup(browser.post("/en/accounts/login/", {}))

    assert chinese.h1.get_text(strip=True) != english.h1.get_text(strip=True)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_500_is_translated_and_needs_nothing_from_the_failing_request(client, settings, language):
    settings.ROOT_URLCONF = "tests.cms.urls"
    client.raise_request_exception = False

    response = client.get(f"/{language}/test-only/boom/")

    assert response.status_code == 500
    html = soup(response)
    assert html.html["lang"] == language
    assert html.h1.get_text(strip=True) == translated("Something went wrong", language)
    assert html.select_one("main a")["href"] == f"/{language}/"
    assert "RuntimeError" not in response.content.decode()
    if language == "en":
        assert "Anything you had already saved is safe" in html.get_text()
