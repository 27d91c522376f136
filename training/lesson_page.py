"""The lesson page: the same HTML for every reader, plus a small part for the learner.

A signed-in learner's lesson page differs from everyone else's only in the progress box, the
checkpoint results, the CSRF token of the checkpoint forms and the script that reports time.
The rest — Wagtail's routing through four levels of pages, the lesson body's blocks, the site
shell — is rendered once per page, language and navigation (which depends on the reader's roles)
into a *shell* with markers, and cached. Each request then costs the learner's part only:
`lesson_open` (one or two queries) and a small template.

The shell and the route (path → the lesson's ids) are cached under generation numbers that
publishing, unpublishing, moving a page or changing its view restrictions bump, together with the
anonymous page cache's (cms/middleware.py), so a change is visible on the next request.
Pages with view restrictions, requests with a query string and requests with pending messages
always take Wagtail's full path.
"""

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import conditional_escape, format_html
from django.utils.translation import get_language, gettext

from cms.middleware import GENERATION_KEY as PAGES_GENERATION_KEY
from core.navigation import navigation_for

GENERATION_KEY = "lesson-pages:generation"
# Part of every key: a release that changes what is cached (the route's fields, the templates'
# markers) changes it, so it never reads what an older release stored.
FORMAT = 2
LEARNER = "<!--lesson:learner-->"
BODY_START, BODY_END = "<!--lesson:body-->", "<!--/lesson:body-->"
SCRIPT = "<!--lesson:script-->"
CHECKPOINT = "<!--checkpoint-result:{}-->"
CSRF_PLACEHOLDER = "lesson-page-csrf-token-placeholder"


def invalidate_lesson_pages() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


def _timeout() -> int:
    return settings.ANONYMOUS_PAGE_CACHE_SECONDS


def _keys(request, user) -> tuple[str, str]:
    generations = cache.get_many([PAGES_GENERATION_KEY, GENERATION_KEY])
    pages, lessons = generations.get(PAGES_GENERATION_KEY, 0), generations.get(GENERATION_KEY, 0)
    prefix = f"{FORMAT}.{pages}.{lessons}:{request.get_host()}:{request.path}"
    # The site shell's navigation depends on the reader (their roles, today), its language on
    # the path. The shell may hold nothing else that differs between two readers.
    navigation = ",".join(item["url"] for item in navigation_for(user))
    shell = f"{prefix}:{get_language()}:{navigation}"
    return f"lesson-route:{prefix}", f"lesson-shell:{shell}"


def _has_messages(request) -> bool:
    return bool(len(get_messages(request)))


def _cacheable(request) -> bool:
    return (
        request.method == "GET"
        and not request.GET
        and not getattr(request, "is_preview", False)
        and request.user.is_authenticated
        and bool(_timeout())
        and not _has_messages(request)
    )


def route_for(page) -> dict:
    """What a request needs to know about a lesson without loading it (cached with the shell)."""
    from .blocks import checkpoint_blocks
    from .canonical import canonical
    from .services.learning import course_lessons

    source = canonical(page)
    course = page.get_parent().specific
    source_course = course if source.pk == page.pk else source.get_parent().specific
    return {
        "lesson_id": page.pk,
        "source_lesson_id": source.pk,
        "required_seconds": source.required_seconds,
        "course": {
            "pk": source_course.pk,
            "path": source_course.path,
            "depth": source_course.depth,
            "sequential": source_course.sequential,
        },
        "lessons": [(lesson.pk, lesson.title) for lesson in course_lessons(source_course)],
        "course_url": course.url,
        "checkpoints": list(checkpoint_blocks(page.body)),
    }


def learner_part(*, route: dict, user) -> dict:
    """The learner's progress on the lesson (opening it if needed), or why they cannot take it."""
    from .models import CoursePage, LessonPage
    from .services.learning import LearningError, lesson_open

    context = {
        "progress": None,
        "blocked_reason": None,
        "source_lesson_id": route["source_lesson_id"],
        "checkpoint_count": len(route["checkpoints"]),
        "course_url": route["course_url"],
    }
    if not user.is_authenticated:
        return context
    course = CoursePage(**route["course"])
    lesson = LessonPage(pk=route["source_lesson_id"])
    try:
        context["progress"] = lesson_open(
            user=user,
            lesson=lesson,
            course=course,
            required_seconds=route["required_seconds"],
            lessons=route["lessons"],
        )
    except PermissionDenied:
        pass
    except LearningError as exc:
        context["blocked_reason"] = exc.messages[0]
    return context


def fill(shell: str, *, request, route: dict, learner: dict) -> str:
    """The page for this reader: the shell with the learner's part put in."""
    head, rest = shell.split(LEARNER, 1)
    between, rest = rest.split(BODY_START, 1)
    body, tail = rest.split(BODY_END, 1)
    box = render_to_string("training/pages/_lesson_learner.html", learner)
    progress = learner["progress"]
    script = ""
    if progress is None:
        body = ""  # the lesson itself is for enrolled learners
    else:
        passed = set(progress.checkpoints_passed)
        done = format_html(
            '<p class="message message--success" data-result>{}</p>',
            gettext("Answered correctly."),
        )
        for checkpoint in route["checkpoints"]:
            body = body.replace(
                CHECKPOINT.format(checkpoint),
                done if checkpoint in passed else '<p data-result aria-live="polite"></p>',
            )
        if CSRF_PLACEHOLDER in body:
            body = body.replace(CSRF_PLACEHOLDER, conditional_escape(get_token(request)))
        script = format_html('<script src="{}" defer></script>', static("training/lesson.js"))
    return head + box + between + body + tail.replace(SCRIPT, script)


def _response(html: str, request) -> HttpResponse:
    response = HttpResponse(html)
    if request.user.is_authenticated:
        # Progress is personal: a learner's lesson page is never stored anywhere.
        response["Cache-Control"] = "private, no-cache"
    return response


def serve(page, request, render) -> HttpResponse:
    """LessonPage.serve: render the shell through Wagtail (`render`), keep it, fill it."""
    keys = _keys(request, request.user) if _cacheable(request) else None
    response = render(request)
    if hasattr(response, "render"):
        response.render()
    if response.status_code != 200:
        return response
    shell = response.content.decode()
    route = route_for(page)
    if keys is not None and not page.get_view_restrictions().exists():
        route_key, shell_key = keys
        cache.set_many({route_key: route, shell_key: shell}, _timeout())
    html = fill(
        shell, request=request, route=route, learner=learner_part(route=route, user=request.user)
    )
    return _response(html, request)


def serve_cached(request) -> HttpResponse | None:
    """The page from the cached shell and route, or None (then Wagtail serves it)."""
    if not _cacheable(request):
        return None
    route_key, shell_key = _keys(request, request.user)
    found = cache.get_many([route_key, shell_key])
    if len(found) != 2:
        return None
    route, shell = found[route_key], found[shell_key]
    learner = learner_part(route=route, user=request.user)
    return _response(fill(shell, request=request, route=route, learner=learner), request)
