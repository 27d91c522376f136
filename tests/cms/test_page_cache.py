"""Whole-page cache for anonymous visitors (cms/middleware.py): fast, never stale, never personal."""

from django.test import Client

import pytest
from bs4 import BeautifulSoup

from accounts.choices import Role
from cms.models import HomePage, NewsPage
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def nav_labels(response) -> list[str]:
    html = BeautifulSoup(response.content.decode(), "html.parser")
    return [a.get_text(strip=True) for a in html.select("nav.main-nav a")]


def test_second_anonymous_visit_is_served_from_the_cache(
    client, demo_pages, django_assert_max_num_queries
):
    first = client.get("/zh-hans/")

    with django_assert_max_num_queries(1):
        second = client.get("/zh-hans/")

    assert first.status_code == second.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Language"] == "zh-hans"


def test_each_language_is_cached_separately(client, demo_pages):
    client.get("/zh-hans/")

    english = client.get("/en/")

    assert english["X-Page-Cache"] == "miss"
    assert BeautifulSoup(english.content.decode(), "html.parser").html["lang"] == "en"
    assert client.get("/en/")["X-Page-Cache"] == "hit"


def test_publishing_a_page_drops_the_cached_copies(client, demo_pages):
    client.get("/zh-hans/")
    assert client.get("/zh-hans/")["X-Page-Cache"] == "hit"
    home = HomePage.objects.get(pk=demo_pages.pk)
    home.title = "乡村数字人才平台（新版）"

    home.save_revision().publish()

    response = client.get("/zh-hans/")
    assert response["X-Page-Cache"] == "miss"
    assert "乡村数字人才平台（新版）" in response.content.decode()


def test_publishing_a_news_page_refreshes_the_home_page_list(client, demo_pages):
    client.get("/zh-hans/")
    news = NewsPage.objects.get(slug="platform-launch", locale__language_code="zh-hans")
    news.title = "平台正式上线"

    news.save_revision().publish()

    response = client.get("/zh-hans/")
    assert response["X-Page-Cache"] == "miss"
    assert "平台正式上线" in response.content.decode()


def test_unpublishing_a_page_drops_the_cached_copies(client, demo_pages):
    assert client.get("/zh-hans/about/").status_code == 200
    assert client.get("/zh-hans/about/")["X-Page-Cache"] == "hit"

    demo_pages.get_children().get(slug="about").specific.unpublish()

    assert client.get("/zh-hans/about/").status_code == 404


def test_a_signed_in_user_never_gets_a_cached_page(client, demo_pages):
    anonymous = Client()
    anonymous.get("/en/")
    assert anonymous.get("/en/")["X-Page-Cache"] == "hit"
    cadre = user_with_role(Role.CADRE)
    client.force_login(cadre)

    response = client.get("/en/")

    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    labels = nav_labels(response)
    assert "My dashboard" in labels
    assert "Sign out" in labels
    assert "Sign in" not in labels


def test_a_signed_in_users_page_is_never_stored_for_visitors(client, demo_pages):
    cadre = user_with_role(Role.CADRE, full_name="张建国")
    client.force_login(cadre)
    signed_in = client.get("/en/")
    assert "Sign out" in nav_labels(signed_in)

    anonymous = Client().get("/en/")

    assert anonymous["X-Page-Cache"] == "miss"
    assert "Sign out" not in nav_labels(anonymous)
    assert "Sign in" in nav_labels(anonymous)


def test_requests_with_a_query_string_are_not_cached(client, demo_pages):
    client.get("/zh-hans/news/?kind=policy")

    response = client.get("/zh-hans/news/?kind=policy")

    assert "X-Page-Cache" not in response
    assert response.status_code == 200


def test_not_found_pages_are_not_cached(client, demo_pages):
    client.get("/zh-hans/no-such-page/")

    response = client.get("/zh-hans/no-such-page/")

    assert response.status_code == 404
    assert "X-Page-Cache" not in response


def test_responses_that_set_a_cookie_are_not_cached(client, settings):
    settings.ROOT_URLCONF = "tests.cms.urls"
    first = client.get("/zh-hans/test-only/cookie/")

    second = Client().get("/zh-hans/test-only/cookie/")

    assert first.status_code == second.status_code == 200
    assert first.cookies["visitor"].value == "42"
    assert "X-Page-Cache" not in first
    assert "X-Page-Cache" not in second
    # The second visitor got their own response, with their own cookie.
    assert second.cookies["visitor"].value == "42"


def test_account_pages_are_never_cached(client, demo_pages):
    client.get("/zh-hans/accounts/login/")

    response = client.get("/zh-hans/accounts/login/")

    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
