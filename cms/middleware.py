"""Whole-page cache for anonymous visitors.

Public pages carry no per-user data and no CSRF token, so a visitor without a session
gets a stored copy without touching the session, the database or the template engine.
Publishing or unpublishing any page bumps a generation number, dropping every copy.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

GENERATION_KEY = "anon-page-cache:generation"
EXCLUDED_PREFIXES = ("/api/", "/healthz", "/static/", "/media/", "/documents/")
EXCLUDED_SEGMENTS = ("/admin/", "/accounts/", "/me/")


def invalidate_anonymous_pages() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD") or request.GET:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    path = request.path
    return not path.startswith(EXCLUDED_PREFIXES) and not any(s in path for s in EXCLUDED_SEGMENTS)


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = settings.ANONYMOUS_PAGE_CACHE_SECONDS

    def __call__(self, request):
        if not self.timeout or not _cacheable_request(request):
            return self.get_response(request)
        generation = cache.get(GENERATION_KEY) or 0
        key = f"anon-page:{generation}:{request.get_host()}:{request.path}"
        stored = cache.get(key)
        if stored is not None:
            content, content_type, language = stored
            response = HttpResponse(content, content_type=content_type)
            response["Content-Language"] = language
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and not response.cookies
            and "no-cache" not in response.get("Cache-Control", "")
            and "private" not in response.get("Cache-Control", "")
            and not getattr(request, "_page_cache_skip", False)
        ):
            cache.set(
                key,
                (response.content, response["Content-Type"], response.get("Content-Language", "")),
                self.timeout,
            )
            response["X-Page-Cache"] = "miss"
        return response
