from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation

# Served without a /<lang>/ prefix (config/urls.py): a 404 there is the answer, not a hint
# that a language prefix is missing.
LANGUAGE_NEUTRAL_PREFIXES = ("/api/", "/healthz", "/documents/")


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, except that a 404 from the API (or another language-neutral
    endpoint) stays a 404. Django would redirect it to /zh-hans/<same path>/, which Wagtail's
    catch-all page route always accepts, so API clients got a 302 to an HTML page instead of
    the JSON error."""

    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith(LANGUAGE_NEUTRAL_PREFIXES):
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)
