"""The post search answered before the middleware stack (jobs/early.py): the same page and the
same JSON as the normal path, only for who the normal path would give them to, never stale."""

from django.conf import settings as django_settings
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

import pytest
from bs4 import BeautifulSoup

from accounts.choices import Role
from jobs.early import search_warm
from jobs.models import Post
from jobs.selectors.posts import public_cache_generation
from jobs.services.posts import post_update
from tests.factories import user_with_role
from tests.jobs.builders import MEIXIAN, villages_of

TOWN = "441403001"
WITHOUT_EARLY = [m for m in django_settings.MIDDLEWARE if m != "jobs.early.SearchEarlyMiddleware"]
HEADERS = ("Content-Type", "Content-Language", "Vary", "X-Frame-Options", "Cache-Control")


def search_url(lang="zh-hans"):
    with translation.override(lang):
        return reverse("jobs:post_list")


def early(response) -> bool:
    return response.get("X-Jobs-Cache") == "hit"


def normal_path(client, path, data=None):
    with override_settings(MIDDLEWARE=WITHOUT_EARLY):
        return client.get(path, data)


def headers(response) -> dict:
    return {h: response.get(h) for h in HEADERS}


@pytest.mark.parametrize(
    "query",
    [{"region": MEIXIAN}, {"region": TOWN, "page": "2"}, {"q": '村 & <b>"x"', "region": "441400"}],
)
def test_anonymous_page_from_the_cache_is_the_normal_page(
    client, posts, query, django_assert_num_queries
):
    assert not early(client.get(search_url(), query))  # computed and stored
    with django_assert_num_queries(0):
        hit = client.get(search_url(), query)
    assert early(hit)
    normal = normal_path(client, search_url(), query)
    assert hit.content == normal.content and headers(hit) == headers(normal)
    assert not hit.cookies and not normal.cookies
    # The language switch keeps the search.
    soup = BeautifulSoup(hit.content, "html.parser")
    english = soup.select_one('nav.lang-switch a[hreflang="en"]')["href"]
    assert english.startswith("/en/jobs/posts/?") and "region=" in english


def test_signed_in_member_gets_their_own_page_from_the_cache(
    client, posts, graduate, django_assert_max_num_queries
):
    client.get(search_url(), {"region": TOWN})  # anonymous: the search part is stored
    client.force_login(graduate)
    client.get(search_url(), {"region": TOWN})  # this navigation's shell is stored
    with django_assert_max_num_queries(2):  # the session, the member and their roles
        hit = client.get(search_url(), {"region": TOWN})
    assert early(hit)
    normal = normal_path(client, search_url(), {"region": TOWN})
    assert hit.content == normal.content and headers(hit) == headers(normal)
    assert not hit.cookies and not normal.cookies
    assert hit["Cache-Control"] == "private" and "Cookie" in hit["Vary"]
    soup = BeautifulSoup(hit.content, "html.parser")
    links = {a["href"] for a in soup.select("nav.main-nav a")}
    with translation.override("zh-hans"):
        assert reverse("jobs:profile") in links and reverse("account_logout") in links
        assert reverse("account_login") not in links


def test_members_with_other_roles_get_their_own_navigation(client, posts, graduate):
    plain = user_with_role(Role.CADRE)
    for user in (graduate, plain):
        client.force_login(user)
        client.get(search_url(), {"region": MEIXIAN})
    client.force_login(plain)
    page = client.get(search_url(), {"region": MEIXIAN})
    assert early(page)
    with translation.override("zh-hans"):
        assert reverse("jobs:profile") not in page.content.decode()
    assert page.content == normal_path(client, search_url(), {"region": MEIXIAN}).content


def test_privileged_users_always_take_the_normal_path(client, posts, hr_meixian):
    client.force_login(hr_meixian)
    for _ in range(3):
        response = client.get(search_url(), {"region": MEIXIAN})
        assert response.status_code == 200 and not early(response)


def _messages_cookie(text: str) -> str:
    return CookieStorage(HttpRequest())._encode([Message(constants.INFO, text)])


def test_pending_messages_are_shown_and_never_stored(client, posts, graduate):
    client.get(search_url(), {"region": MEIXIAN})
    client.cookies["messages"] = _messages_cookie("你的资料已保存")
    shown = client.get(search_url(), {"region": MEIXIAN})
    assert not early(shown) and "你的资料已保存" in shown.content.decode()
    client.cookies.pop("messages", None)
    after = client.get(search_url(), {"region": MEIXIAN})
    assert "你的资料已保存" not in after.content.decode()
    # Messages kept in the session take the normal path too.
    client.force_login(graduate)
    client.get(search_url(), {"region": MEIXIAN})
    session = client.session
    session["_messages"] = '[["__json_message", 0, 20, "在会话里的消息"]]'
    session.save()
    assert not early(client.get(search_url(), {"region": MEIXIAN}))


def test_a_host_not_allowed_is_refused_as_before(client, posts):
    client.get(search_url(), {"region": MEIXIAN})
    assert early(client.get(search_url(), {"region": MEIXIAN}))
    assert (
        client.get(search_url(), {"region": MEIXIAN}, HTTP_HOST="evil.example").status_code == 400
    )


def test_a_post_change_is_shown_at_once_to_members(
    client, posts, graduate, hr_meixian, django_capture_on_commit_callbacks
):
    client.force_login(graduate)
    client.get(search_url(), {"region": TOWN})
    assert early(client.get(search_url(), {"region": TOWN}))
    post = Post.objects.filter(village__in=villages_of(TOWN)).order_by("region_path").first()
    with django_capture_on_commit_callbacks(execute=True):
        post_update(post=post, actor=hr_meixian, data={"title": "改过名的岗位"})
    fresh = client.get(search_url(), {"region": TOWN})
    assert not early(fresh) and "改过名的岗位" in fresh.content.decode()
    again = client.get(search_url(), {"region": TOWN})
    assert early(again) and "改过名的岗位" in again.content.decode()


# --- the API ------------------------------------------------------------------------------------


def test_api_answers_from_the_cache_as_the_endpoint_does(
    client, posts, hr_meixian, django_assert_num_queries, django_capture_on_commit_callbacks
):
    path = f"/api/v1/posts?region={TOWN}"
    first = client.get(path)
    with django_assert_num_queries(0):
        hit = client.get(path)
    normal = normal_path(client, path)
    assert first.content == hit.content == normal.content
    assert headers(hit) == headers(normal)
    post = Post.objects.filter(village__in=villages_of(TOWN)).order_by("region_path").first()
    with django_capture_on_commit_callbacks(execute=True):
        post_update(post=post, actor=hr_meixian, data={"title": "接口里的新名称"})
    assert "接口里的新名称" in [p["title"] for p in client.get(path).json()["items"]]
    # Errors are never stored: an unknown region stays a 404.
    assert client.get("/api/v1/posts?region=999999").status_code == 404
    assert client.get("/api/v1/posts?region=999999").status_code == 404


# --- warming ------------------------------------------------------------------------------------


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "warming",
            "OPTIONS": {"MAX_ENTRIES": 10_000},  # every region's page and API answer
        }
    }
)
def test_warming_stores_the_first_page_of_every_region(client, posts, django_assert_num_queries):
    client.get(search_url())  # the anonymous shell
    done = search_warm(generation=public_cache_generation())
    assert done > 0
    for code in (MEIXIAN, TOWN, "441400"):
        with django_assert_num_queries(0):
            page = client.get(search_url(), {"region": code})
        with django_assert_num_queries(0):
            api = client.get(f"/api/v1/posts?region={code}")
        assert early(page) and api.status_code == 200
        assert page.content == normal_path(client, search_url(), {"region": code}).content
        assert api.content == normal_path(client, f"/api/v1/posts?region={code}").content
    # English too.
    client.get(search_url("en"))
    assert early(client.get(search_url("en"), {"region": MEIXIAN}))


def test_warming_for_an_old_generation_does_nothing(client, posts):
    generation = public_cache_generation()
    from jobs.selectors.posts import jobs_public_cache_invalidate

    jobs_public_cache_invalidate()
    assert search_warm(generation=generation) == 0


def test_a_miss_queues_one_warming_per_generation(client, posts, settings, monkeypatch):
    from jobs import tasks

    queued = []
    monkeypatch.setattr(
        tasks.warm_public_search, "apply_async", lambda args, countdown: queued.append(args)
    )
    settings.JOBS_PUBLIC_SEARCH_WARM = True
    client.get(search_url(), {"region": MEIXIAN})
    client.get(search_url(), {"region": TOWN})
    assert queued == [[public_cache_generation()]]
    settings.JOBS_PUBLIC_SEARCH_WARM = False
    cache.clear()
    client.get(search_url(), {"region": MEIXIAN})
    assert len(queued) == 1
