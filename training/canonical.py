"""Learning records attach to a page's source (Chinese) version.

Courses are authored in Chinese and may be translated; an English learner and a Chinese
learner take the same course, so enrolments, progress, hours and certificates always point
at the page in the default locale, whichever translation the learner is reading.
"""

from django.conf import settings

from wagtail.models import Locale, Page


def default_locale() -> Locale:
    return Locale.objects.get(language_code=settings.LANGUAGE_CODE)


def canonical(page: Page) -> Page:
    """The default-locale translation of `page` (the page itself when it is the source)."""
    page = page.specific
    if page.locale.language_code == settings.LANGUAGE_CODE:
        return page
    source = page.get_translation_or_none(default_locale())
    return source.specific if source is not None else page


def localized(page: Page) -> Page:
    """The translation of `page` in the active language, for links; the page itself if none."""
    translated = page.localized
    return translated.specific if translated is not None else page
