"""The lesson page: the same HTML for every reader, plus a small part for the learner.

A signed-in learner's lesson page differs from everyone else's only in the progress box, the
checkpoint results, the CSRF token of the checkpoint forms and the script that reports time.
The rest — Wagtail's routing through four levels of pages, the lesson body's blocks, the site
shell — is rendered once per page, language and navigation (which depends on the reader's roles)
into a *shell* with markers, and cached. Each request then costs the learner's part only:
one query for the learner's progress (`lesson_open` only when it must write or
refuse) and a box built with format_html.

The shell and the route (path → the lesson's ids) are cached under generation numbers that
publishing, unpublishing, moving a page or changing its view restrictions bump, together with the
anonymous page cache's (cms/middleware.py), so a change is visible on the next request.
Pages with view restrictions, requests with a query string and requests with pending messages
always take Wagtail's full path.
"""

import datetime
import json
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf
from django.utils.cache import patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, ngettext, override

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
    return f"lesson-route:{prefix}", f"lesson-shell:{prefix}:{get_language()}:{_navigation(user)}"


_navigations: dict[tuple, str] = {}


def _navigation(user) -> str:
    """The reader's navigation links, kept per roles, language, URL prefix and URLconf for the
    early path's readers (reversing the links is most of the cost of building the key)."""
    if not isinstance(user, _Reader):
        return ",".join(item["url"] for item in navigation_for(user))
    key = (user.roles, get_language(), get_script_prefix(), get_urlconf())
    found = _navigations.get(key)
    if found is None:
        if len(_navigations) > 1000:
            _navigations.clear()
        found = _navigations[key] = ",".join(item["url"] for item in navigation_for(user))
    return found


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


@dataclass(frozen=True)
class _Progress:
    """What the learner's part shows of a LessonProgress row."""

    engaged_seconds: int
    required_seconds: int
    completed_at: datetime.datetime | None
    checkpoints_passed: list


# The learner's progress row and what lesson_open checks on it, in one statement: the
# enrolment's status and last lesson, and how many of the earlier lessons (a sequential course)
# are done.
_PROGRESS_SQL = """
SELECT p.engaged_seconds, p.required_seconds, p.completed_at, p.checkpoints_passed,
       e.status, e.last_lesson_id, {done_before}
FROM training_lessonprogress AS p JOIN training_enrollment AS e ON e.id = p.enrollment_id
WHERE p.user_id = %s AND p.lesson_id = %s
"""
_DONE_BEFORE_SQL = """(SELECT COUNT(*) FROM training_lessonprogress AS d
   WHERE d.user_id = p.user_id AND d.completed_at IS NOT NULL AND d.lesson_id IN ({ids}))"""


def _progress_if_open(*, route: dict, user_id: int) -> _Progress | None:
    """The progress of a learner who already has the lesson open and nothing to change, else None.

    A read of what `lesson_open` would find (one query, no ORM): it returns None — and the
    caller calls `lesson_open`, which decides, writes or refuses — when there is no progress
    row, when the enrolment's last lesson is another one (lesson_open records this one), or
    when an earlier lesson of a sequential course is not done yet.
    """
    from .choices import EnrollmentStatus

    lesson_id = route["source_lesson_id"]
    before = []
    if route["course"]["sequential"]:
        before = [pk for pk, _title in route["lessons"]]
        before = before[: before.index(lesson_id)] if lesson_id in before else before
    done_before = _DONE_BEFORE_SQL.format(ids=", ".join(["%s"] * len(before))) if before else "0"
    with connection.cursor() as cursor:
        cursor.execute(_PROGRESS_SQL.format(done_before=done_before), [*before, user_id, lesson_id])
        row = cursor.fetchone()
    if row is None:
        return None
    engaged, required, completed_at, passed, status, last_lesson_id, done = row
    if last_lesson_id != lesson_id:
        return None
    if before and status != EnrollmentStatus.COMPLETED and done != len(before):
        return None
    if isinstance(passed, str):  # SQLite hands back the JSON text
        passed = json.loads(passed)
    if isinstance(completed_at, str):  # SQLite may hand back text
        completed_at = parse_datetime(completed_at)
    return _Progress(engaged, required, completed_at, passed or [])


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
    context["progress"] = _progress_if_open(route=route, user_id=user.pk)
    if context["progress"] is not None:
        return context
    if isinstance(user, _Reader):
        from accounts.models import User

        user = User(pk=user.pk)
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


def _learner_box(learner: dict) -> SafeString:
    """The progress box (or why the lesson is not open to the reader), without the template
    engine: it is built on every request for a signed-in learner."""
    progress = learner["progress"]
    if progress is None:
        if learner["blocked_reason"]:
            return format_html(
                '<p class="message message--warning">{}</p>', learner["blocked_reason"]
            )
        return format_html(
            '<p class="message">{}</p>\n  <p><a class="button" href="{}">{}</a></p>',
            gettext("Enrol in the course to take this lesson. Your progress is saved as you go."),
            learner["course_url"],
            gettext("Go to the course"),
        )
    done = progress.completed_at is not None
    count = learner["checkpoint_count"]
    questions = ""
    if count:
        questions = format_html(
            '\n    <p class="muted">{}</p>',
            ngettext(
                "Answer the question in this lesson to finish it.",
                "Answer the %(n)s questions in this lesson to finish it.",
                count,
            )
            % {"n": count},
        )
    return format_html(
        '<div class="lesson-progress" id="lesson-progress"\n'
        '       data-heartbeat-url="/api/v1/lessons/{lesson}/heartbeat"\n'
        '       data-answer-url="/api/v1/lessons/{lesson}/answers"\n'
        '       data-interval="15" data-engaged="{engaged}" data-required="{required}"\n'
        '       data-done="{done}"\n'
        '       data-label-done="{label_done}"\n'
        '       data-label-paused="{label_paused}"\n'
        '       data-label-offline="{label_offline}">\n'
        '    <label for="lesson-meter">{meter}</label>\n'
        '    <progress id="lesson-meter" max="{required}" value="{engaged}">{engaged}</progress>\n'
        '    <p class="muted" aria-live="polite" data-status>{status}</p>{questions}\n'
        "  </div>",
        lesson=learner["source_lesson_id"],
        engaged=progress.engaged_seconds,
        required=progress.required_seconds,
        done="1" if done else "0",
        label_done=gettext("Lesson done."),
        label_paused=gettext("Paused while this page is hidden or you are away."),
        label_offline=gettext("Offline: your time will count again when the connection is back."),
        meter=gettext("Time spent on this lesson"),
        status=gettext("Lesson done.")
        if done
        else gettext("Time counts only while this page is open and you are active."),
        questions=questions,
    )


def fill(shell: str, *, request, route: dict, learner: dict) -> str:
    """The page for this reader: the shell with the learner's part put in."""
    head, rest = shell.split(LEARNER, 1)
    between, rest = rest.split(BODY_START, 1)
    body, tail = rest.split(BODY_END, 1)
    box = _learner_box(learner)
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
        learner_context = learner_part(route=route, user=reader)
        response = HttpResponse(fill(shell, request=request, route=route, learner=learner_context))
    response["Cache-Control"] = "private, no-cache"
    response["X-Lesson-Shell"] = "early"
    response.headers.setdefault("Content-Language", language)
    response.headers.setdefault("X-Frame-Options", "DENY")
    patch_vary_headers(response, ("Cookie",))
    csrf.process_response(request, response)  # sets the CSRF cookie if the page made one
    return response
