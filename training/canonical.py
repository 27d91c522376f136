"""Learning records attach to a page's source (Chinese) version.

Courses are authored in Chinese and may be translated; an English learner and a Chinese
learner take the same course, so enrolments, progress, hours and certificates always point
at the page in the default locale, whichever translation the learner is reading.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

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


@dataclass(frozen=True)
class PageRef:
    """Just enough of a page to link it, without building a Page (costly by the hundred)."""

    pk: int
    title: str
    url_path: str
    translation_key: object
    locale_id: int


def localized_links(pages: list[PageRef]) -> dict[int, tuple[str, str]]:
    """(URL, title) of each page's translation in the active language (or of the page itself).

    A list page such as "My learning" links hundreds of pages: this costs three queries in
    all, where Wagtail's per-page URL routine costs a few hundred microseconds each.
    """
    pages = [p for p in pages if p is not None]
    if not pages:
        return {}
    active = translation.get_language()
    locales = dict(Locale.objects.values_list("pk", "language_code"))
    active_locale = next((pk for pk, code in locales.items() if code == active), None)
    translated = {
        row[3]: PageRef(*row)
        for row in Page.objects.live()
        .filter(translation_key__in={p.translation_key for p in pages}, locale_id=active_locale)
        .values_list("pk", "title", "url_path", "translation_key", "locale_id")
    }
    # Each locale's home page (the site root's translations) is where its URLs start.
    roots = dict(Page.objects.filter(depth=2).values_list("locale_id", "url_path"))
    links = {}
    for page in pages:
        target = translated.get(page.translation_key, page)
        root = roots.get(target.locale_id, "/")
        links[page.pk] = (
            f"/{locales[target.locale_id]}/{target.url_path[len(root) :]}",
            target.title,
        )
    return links
