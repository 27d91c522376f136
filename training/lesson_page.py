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

from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.cache import patch_vary_headers
from django.utils.html import conditional_escape, format_html
from django.utils.translation import get_language, gettext, override

from cms.middleware import GENERATION_KEY as PAGES_GENERATION_KEY
from core.navigation import navigation_for

GENERATION_KEY = "lesson-pages:generation"
# Part of every key: a release that changes what is cached (the route's fields, the templates'
# markers) changes it, so it never reads what an older release stored.
FORMAT = 3
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
    prefix = f"{FORMAT}:{request.get_host()}:{request.path}"
    # The site shell's navigation depends on the reader (their roles, today), its language on
    # the path. The shell may hold nothing else that differs between two readers.
    navigation = ",".join(item["url"] for item in navigation_for(user))
    return f"lesson-route:{prefix}", f"lesson-shell:{prefix}:{get_language()}:{navigation}"


def _generations(found: dict) -> tuple[int, int]:
    return found.get(PAGES_GENERATION_KEY, 0), found.get(GENERATION_KEY, 0)


def _lookup(request, user) -> tuple[dict, str] | None:
    """The route and shell stored for this page and reader, if still current (one cache read)."""
    route_key, shell_key = _keys(request, user)
    found = cache.get_many([PAGES_GENERATION_KEY, GENERATION_KEY, route_key, shell_key])
    stored_route, stored_shell = found.get(route_key), found.get(shell_key)
    current = _generations(found)
    if not stored_route or not stored_shell:
        return None
    if stored_route[0] != current or stored_shell[0] != current:
        return None  # a page was published, moved or restricted since they were stored
    return stored_route[1], stored_shell[1]


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


def learner_part(*, route: dict, user, reader=None) -> dict:
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
    if not (reader or user).is_authenticated:
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
    cacheable = _cacheable(request)
    if cacheable:  # read before rendering: a change published meanwhile makes the copy stale
        generations = _generations(cache.get_many([PAGES_GENERATION_KEY, GENERATION_KEY]))
    response = render(request)
    if hasattr(response, "render"):
        response.render()
    if response.status_code != 200:
        return response
    shell = response.content.decode()
    route = route_for(page)
    if cacheable and not page.get_view_restrictions().exists():
        route_key, shell_key = _keys(request, request.user)
        cache.set_many(
            {route_key: (generations, route), shell_key: (generations, shell)}, _timeout()
        )
    learner = learner_part(route=route, user=request.user)
    return _response(fill(shell, request=request, route=route, learner=learner), request)


def serve_cached(request) -> HttpResponse | None:
    """The page from the cached shell and route, or None (then Wagtail serves it)."""
    if not _cacheable(request):
        return None
    stored = _lookup(request, request.user)
    if stored is None:
        return None
    route, shell = stored
    learner = learner_part(route=route, user=request.user)
    response = _response(fill(shell, request=request, route=route, learner=learner), request)
    response["X-Lesson-Shell"] = "hit"
    return response


@dataclass(frozen=True)
class _Reader:
    """A signed-in learner as far as the shell's navigation and the learner's part need one."""

    pk: int
    roles: frozenset[str]
    is_authenticated: bool = True


def serve_early(request, session_store) -> HttpResponse | None:
    """A learner's lesson page before the session/auth/CSRF/messages middleware runs.

    Used by training.heartbeat_middleware for GETs with a session cookie: the session is checked
    as django.contrib.auth does (`accounts.early_auth.session_member`), privileged roles (the MFA rule) and pending
    messages go the general way, and the response gets the headers the skipped middleware would
    add. None when any of that does not hold, or nothing is cached: the request goes on as usual.
    """
    from accounts.early_auth import session_member
    from accounts.models import User

    language = request.path.split("/", 2)[1] if request.path.count("/") >= 2 else ""
    if language not in dict(settings.LANGUAGES) or not _timeout():
        return None
    request.session = session_store(request.COOKIES[settings.SESSION_COOKIE_NAME])
    if "_messages" in request.session:
        return None
    learner = session_member(request, csrf=False)
    if learner is None:
        return None
    reader = _Reader(*learner)
    with override(language):
        stored = _lookup(request, reader)
        if stored is None:
            return None
        route, shell = stored
        csrf = CsrfViewMiddleware(lambda r: None)
        csrf.process_request(request)  # the checkpoint forms' token comes from the CSRF cookie
        learner_context = learner_part(route=route, user=User(pk=reader.pk), reader=reader)
        response = HttpResponse(fill(shell, request=request, route=route, learner=learner_context))
    response["Cache-Control"] = "private, no-cache"
    response["X-Lesson-Shell"] = "early"
    response.headers.setdefault("Content-Language", language)
    response.headers.setdefault("X-Frame-Options", "DENY")
    patch_vary_headers(response, ("Cookie",))
    csrf.process_response(request, response)  # sets the CSRF cookie if the page made one
    return response
