"""The site's URLs plus a few test-only views, for tests that set ROOT_URLCONF to this module.

The views sit inside i18n_patterns like the real pages, so /zh-hans/... and /en/... both work.
"""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path

from config import urls as site_urls


def boom(request):
    raise RuntimeError("a bug in a view")


def forbidden(request):
    raise PermissionDenied


def sets_a_cookie(request):
    response = HttpResponse("<!doctype html><p>per-visitor page</p>", content_type="text/html")
    response.set_cookie("visitor", "42")
    return response


urlpatterns = [
    *i18n_patterns(
        path("test-only/boom/", boom),
        path("test-only/cookie/", sets_a_cookie),
        path("test-only/forbidden/", forbidden),
        prefix_default_language=True,
    ),
    *site_urls.urlpatterns,
]

handler403 = site_urls.handler403
handler404 = site_urls.handler404
handler500 = site_urls.handler500
