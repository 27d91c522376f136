"""The post search, page and API, answered before the session/CSRF/auth middleware.

The search is the jobs side's most frequent request. Through the whole stack a cached answer
still costs the stack (sessions, locale, CSRF, authentication, messages, allauth, MFA) and, for
a signed-in visitor, the render of the site shell. This middleware, right after the lesson
heartbeat's, answers from the cache alone:

- the search page `/<lang>/jobs/posts/` for visitors without a session, and for signed-in
  members checked as django.contrib.auth checks them (`accounts.early_auth.session_member`: one
  query; privileged roles — the MFA rule — and anything unusual take the normal path): the
  page's *shell* for the language and the visitor's navigation (it holds nothing else that
  differs between visitors, and no form token) with the search part put in — heading, form and
  results, the same for everyone (jobs.views_public.search_content). Both are stored by the
  view on its way (the shell only when the page shows no messages); requests with pending
  messages always take the normal path;
- `GET /api/v1/posts` without a session, an Authorization header or messages: the JSON the
  endpoint gave for the same query string, stored here on the way back.

Whatever is missing or stored under an older generation (see jobs.selectors.posts) goes the
normal way, unchanged. The response gets the headers the skipped middleware would add.

A Celery task (`jobs.tasks.warm_public_search`, when `JOBS_PUBLIC_SEARCH_WARM` is on) stores
the first page of every province, city, county and township, page and API, some seconds after
the first miss of a generation, so that almost no visitor pays for a miss.
"""

import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.encoding import iri_to_uri
from django.utils.html import escape
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_from_request, override

from cms.middleware import GENERATION_KEY as PAGES_GENERATION_KEY
from core.navigation import navigation_for

from .selectors.posts import (
    GENERATION_KEY,
    post_search_normalise,
    post_search_normalise_query,
    search_api_key,
    search_cache_seconds,
    search_content_key,
    search_shell_key,
)

logger = logging.getLogger(__name__)

API_PATH = "/api/v1/posts"
REGION_QUERY = re.compile(r"region=[0-9]{1,12}")
SEARCH_MARKER = "<!--jobs:search-->"
# Stands for "?<query string>" in the shell's links to the page in the other languages.
QUERY_MARKER = "jobs-search-query-marker"
WARM_DELAY_SECONDS = 20
WARM_KEY = "jobs-search:warm:{}"

__all__ = ["PAGES_GENERATION_KEY", "SearchEarlyMiddleware"]


@dataclass(frozen=True)
class _Member:
    """A signed-in member as far as the shell's navigation needs one."""

    pk: int
    roles: frozenset[str]
    is_authenticated: bool = True


# --- the shell (stored by jobs.views_public.post_list) ---------------------------------------------


def navigation_key(user) -> str:
    """What the shell depends on besides the language: signed in or not, and the menu."""
    if not user.is_authenticated:
        return "anonymous"
    return "member:" + ",".join(item["url"] for item in navigation_for(user))


# The menu depends only on the roles and the language; reversing its URLs on every request
# cost about a tenth of an early answer.
_member_navigation: dict[tuple[str, frozenset[str]], str] = {}


def _member_navigation_key(member: "_Member", language: str) -> str:
    key = (language, member.roles)
    found = _member_navigation.get(key)
    if found is None:
        found = _member_navigation[key] = navigation_key(member)
    return found


def has_messages(request) -> bool:
    return bool(len(get_messages(request)))


def _timeout() -> int:
    return settings.ANONYMOUS_PAGE_CACHE_SECONDS


def shell_missing(found: dict, shell_key: str) -> bool:
    stored = found.get(shell_key)
    return stored is None or stored[0] != found.get(PAGES_GENERATION_KEY, 0)


def _search_path(language: str) -> str:
    with override(language):
        return reverse("jobs:post_list")


def shell_store(request, shell_key: str, found: dict) -> None:
    """Render the search page without its search part and store it (`found`: the generation of
    the site's pages as read before the page was rendered)."""
    if not _timeout():
        return
    saved = request.__dict__.get("alternate_language_urls")
    request.alternate_language_urls = {
        code: _search_path(code) + QUERY_MARKER for code, _name in settings.LANGUAGES
    }
    try:
        shell = render_to_string(
            "jobs/public/post_list.html",
            {"search_html": mark_safe(SEARCH_MARKER)},  # noqa: S308 - a constant
            request=request,
        )
    finally:
        if saved is None:
            del request.alternate_language_urls
        else:
            request.alternate_language_urls = saved
    if shell.count(SEARCH_MARKER) == 1:
        cache.set(shell_key, (found.get(PAGES_GENERATION_KEY, 0), shell), _timeout())


def _query_suffix(request) -> str:
    """What django.urls.translate_url keeps of request.get_full_path() after the path."""
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return ""
    parts = urlsplit("/?" + iri_to_uri(query))
    return urlunsplit(("", "", "", parts.query, parts.fragment))


def fill(shell: str, content: str, request) -> str:
    head, tail = shell.split(SEARCH_MARKER, 1)
    query = escape(_query_suffix(request))
    return head.replace(QUERY_MARKER, query) + content + tail.replace(QUERY_MARKER, query)


# --- warming ----------------------------------------------------------------------------------------


def search_warm_schedule(generation: int) -> None:
    """After a miss: have the warm task store the usual searches of this generation, once."""
    if not settings.JOBS_PUBLIC_SEARCH_WARM:
        return
    from .selectors.posts import SEARCH_CACHE_SECONDS
    from .tasks import warm_public_search

    if not cache.add(WARM_KEY.format(generation), 1, SEARCH_CACHE_SECONDS - 60):
        return
    try:
        warm_public_search.apply_async(args=[generation], countdown=WARM_DELAY_SECONDS)
    except Exception:  # no broker: the searches are computed on their first request instead
        logger.exception("could not queue the warming of the post search")
        cache.delete(WARM_KEY.format(generation))


def _api_answer(query: str) -> HttpResponse:
    """The API endpoint's answer to `query`, through django-ninja as a request would get it."""
    from django.http import HttpRequest, QueryDict
    from django.urls import resolve

    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = API_PATH
    request.META = {"REQUEST_METHOD": "GET", "QUERY_STRING": query, "SERVER_NAME": "localhost"}
    request.GET = QueryDict(query)
    match = resolve(API_PATH)
    return match.func(request, *match.args, **match.kwargs)


def search_warm(*, generation: int) -> int:
    """Store the first page of every province, city, county and township — the page's search
    part in every language and the API's answer — under `generation`, unless it is no longer
    current (then a later miss queues the next warming). Returns how many regions were done."""
    from regions.models import Region

    from .selectors.posts import PostSearch, post_search_page, public_cache_generation
    from .views_public import search_content_render

    regions = Region.objects.filter(depth__lte=3).only(
        "id", "code", "name", "path", "level", "depth", "parent_id"
    )
    done = 0
    for region in regions.order_by("path").iterator(chunk_size=200):
        if done % 50 == 0 and public_cache_generation() != generation:
            break
        search = PostSearch(region=region)
        result = post_search_page(search=search, page=1)
        params = post_search_normalise(region=region.code)
        values = {}
        for language, _name in settings.LANGUAGES:
            with override(language):
                html, context, _cacheable = search_content_render(
                    params=params, generation=generation, search=search, result=result
                )
            values[search_content_key(params=params, language=language)] = (
                generation,
                html,
                context["count"],
            )
        query = f"region={region.code}"
        answer = _api_answer(query)
        if answer.status_code == 200:
            values[search_api_key(query)] = (generation, answer.content)
        cache.set_many(values, search_cache_seconds(free_text=False))
        done += 1
    return done


# --- the middleware ---------------------------------------------------------------------------------


class SearchEarlyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.session_store = import_string(settings.SESSION_ENGINE + ".SessionStore")
        self._pages = None

    def pages(self) -> dict[str, str]:
        """{path of the search page: its language}."""
        if self._pages is None:
            self._pages = {_search_path(code): code for code, _name in settings.LANGUAGES}
        return self._pages

    def __call__(self, request):
        if request.method == "GET" and "messages" not in request.COOKIES:
            if request.path_info == API_PATH:
                return self.api(request)
            language = self.pages().get(request.path_info)
            if language is not None:
                response = self.page(request, language)
                if response is not None:
                    return response
        return self.get_response(request)

    def page(self, request, language: str) -> HttpResponse | None:
        from accounts.early_auth import session_member

        if not _timeout():
            return None
        member = None
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            request.session = self.session_store(request.COOKIES[settings.SESSION_COOKIE_NAME])
            if "_messages" in request.session:
                return None
            found = session_member(request, csrf=False)
            if found is None:
                return None
            member = _Member(*found)
        request.get_host()  # CommonMiddleware's check: a host not allowed is a 400 here too
        with override(language):
            params = post_search_normalise_query(request.GET)
            content_key = search_content_key(params=params, language=language)
            navigation = (
                _member_navigation_key(member, language) if member is not None else "anonymous"
            )
            shell_key = search_shell_key(language=language, navigation=navigation)
            found = cache.get_many([GENERATION_KEY, PAGES_GENERATION_KEY, content_key, shell_key])
            content, shell = found.get(content_key), found.get(shell_key)
            if (
                content is None
                or shell is None
                or content[0] != found.get(GENERATION_KEY)
                or shell[0] != found.get(PAGES_GENERATION_KEY, 0)
            ):
                return None
            response = HttpResponse(fill(shell[1], content[1], request))
        response["X-Jobs-Cache"] = "hit"
        response["Content-Language"] = language
        response["X-Frame-Options"] = "DENY"
        if member is not None:
            response["Cache-Control"] = "private"
        patch_vary_headers(response, ("Cookie",))
        return response

    def api(self, request) -> HttpResponse:
        if settings.SESSION_COOKIE_NAME in request.COOKIES or "authorization" in request.headers:
            return self.get_response(request)
        request.get_host()
        query = request.META.get("QUERY_STRING", "")
        key = search_api_key(query)
        found = cache.get_many([GENERATION_KEY, key])
        generation, stored = found.get(GENERATION_KEY), found.get(key)
        if generation is not None and stored is not None and stored[0] == generation:
            response = HttpResponse(stored[1], content_type="application/json; charset=utf-8")
            # What LocaleMiddleware adds to a language-neutral path.
            response["Content-Language"] = get_language_from_request(request, check_path=True)
            patch_vary_headers(response, ("Accept-Language",))
            response["X-Frame-Options"] = "DENY"
            return response
        response = self.get_response(request)
        if generation is not None:
            search_warm_schedule(generation)
        if (
            generation is not None
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and response.get("Content-Type", "").startswith("application/json")
        ):
            api_store(query, generation, response.content)
        return response


def api_store(query: str, generation: int, content: bytes) -> None:
    # Only a region's first page is kept long: any other query string (free text, offsets,
    # parameters in another order) lives as long as the other free-text answers.
    bounded = REGION_QUERY.fullmatch(query) is not None
    cache.set(
        search_api_key(query), (generation, content), search_cache_seconds(free_text=not bounded)
    )
