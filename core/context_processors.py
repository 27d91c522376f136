from django.conf import settings
from django.urls import translate_url
from django.utils import translation

from .navigation import navigation_for


def site_shell(request):
    """Language switch links and role-aware navigation for the base template."""
    current = translation.get_language()
    path = request.get_full_path()
    alternates = getattr(request, "alternate_language_urls", None) or {}
    languages = []
    for code, name in settings.LANGUAGES:
        languages.append(
            {
                "code": code,
                "name": name,
                "url": alternates.get(code) or translate_url(path, code),
                "current": code == current,
            }
        )
    user = getattr(request, "user", None)
    return {
        "shell_languages": languages,
        "shell_nav": navigation_for(user) if user is not None else [],
    }
