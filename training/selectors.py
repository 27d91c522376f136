"""Reads for the training pages and API: every function runs a bounded number of queries."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Length, Substr
from django.utils import timezone, translation

from wagtail.models import Locale

from .canonical import PageRef, canonical, localized, localized_links
from .choices import Category, EnrollmentStatus, EventFormat, HoursSource, RegistrationStatus
from .models import (
    Certificate,
    CourseIndexPage,
    CoursePage,
    Enrollment,
    EventRegistration,
    HoursEntry,
    LearningAnomaly,
    LearningPathPage,
    LessonPage,
    LessonProgress,
    QuizAttempt,
    QuizQuestion,
    TrainingEventPage,
    TrainingSettings,
)

ONLINE = "online"
HOURS_RANGES = {
    "short": (Decimal(0), Decimal(2)),
    "medium": (Decimal("2.1"), Decimal(5)),
    "long": (Decimal("5.1"), Decimal(1000)),
}
AUDIENCE_FIELDS = {"cadre": "for_cadres", "graduate": "for_graduates", "operator": "for_operators"}


def text_filter(query: str) -> Q:
    """Every word must appear in the title, summary or description.

    Substring matching is exact for Chinese, which has no spaces between words for a
    tokenizer to split on; at catalogue size (hundreds of items) it costs a few milliseconds.
    """
    q = Q()
    for term in query.split()[:5]:
        q &= (
            Q(title__icontains=term)
            | Q(summary__icontains=term)
            | Q(search_description__icontains=term)
        )
    return q


def courses_public(*, category: str | None = None, audience: str | None = None, q: str = ""):
    """Live online courses, newest first, for the API's course list (same filters as the catalogue)."""
    courses = CoursePage.objects.live().order_by("-first_published_at")
    if category:
        courses = courses.filter(category=category)
    if audience in AUDIENCE_FIELDS:
        courses = courses.filter(**{AUDIENCE_FIELDS[audience]: True})
    if q.strip():
        courses = courses.filter(text_filter(q.strip()[:50]))
    return courses


def catalogue_search(*, index_page: CourseIndexPage, params) -> dict:
    query = (params.get("q") or "").strip()[:50]
    category = params.get("category") if params.get("category") in Category.values else ""
    audience = params.get("audience") if params.get("audience") in AUDIENCE_FIELDS else ""
    fmt = params.get("format") if params.get("format") in {ONLINE, *EventFormat.values} else ""
    hours = params.get("hours") if params.get("hours") in HOURS_RANGES else ""

    courses = CoursePage.objects.live().child_of(index_page).select_related("cover_image")
    events = TrainingEventPage.objects.live().child_of(index_page).select_related("venue_region")
    paths = LearningPathPage.objects.live().child_of(index_page)
    if query:
        courses, events, paths = (qs.filter(text_filter(query)) for qs in (courses, events, paths))
    if category:
        courses, events = courses.filter(category=category), events.filter(category=category)
        paths = paths.none()
    if audience:
        field = AUDIENCE_FIELDS[audience]
        courses, events, paths = (qs.filter(**{field: True}) for qs in (courses, events, paths))
    if hours:
        low, high = HOURS_RANGES[hours]
        courses = courses.filter(declared_hours__gte=low, declared_hours__lte=high)
        events = events.filter(declared_hours__gte=low, declared_hours__lte=high)
        paths = paths.none()
    if fmt == ONLINE:
        events = events.none()
    elif fmt:
        courses, paths = courses.none(), paths.none()
        events = events.filter(format=fmt)
    return {
        "courses": list(courses.order_by("-first_published_at")),
        "paths": list(paths.order_by("-first_published_at")),
        "events": list(events.filter(ends_at__gte=timezone.now()).order_by("starts_at")),
        "filters": {
            "q": query,
            "category": category,
            "audience": audience,
            "format": fmt,
            "hours": hours,
        },
        "filter_choices": {
            "category": Category.choices,
            "format": [(ONLINE, _online_label()), *EventFormat.choices],
        },
    }


def _online_label():
    from django.utils.translation import gettext_lazy as _

    return _("Online course")


def course_detail_for(*, course: CoursePage, user) -> dict:
    """`course` is the page being read; records are looked up on its source version."""
    lessons = list(LessonPage.objects.live().child_of(course).order_by("path"))
    context = {
        "lessons": lessons,
        "enrollment": None,
        "progress": {},
        "requirements": None,
        "source_course": course,
    }
    if not user.is_authenticated:
        return context
    course = canonical(course)
    context["source_course"] = course
    source_lessons = list(LessonPage.objects.live().child_of(course).order_by("path"))
    source_ids = dict(
        zip([lsn.pk for lsn in lessons], [lsn.pk for lsn in source_lessons], strict=False)
    )
    enrollment = Enrollment.objects.filter(user=user, course=course).first()
    context["enrollment"] = enrollment
    if enrollment:
        from .services.learning import course_requirements

        by_source = {
            p.lesson_id: p
            for p in LessonProgress.objects.filter(user=user, lesson__in=source_lessons)
        }
        context["progress"] = {shown: by_source.get(source) for shown, source in source_ids.items()}
        context["requirements"] = course_requirements(enrollment=enrollment)
        context["attempts"] = list(
            QuizAttempt.objects.filter(user=user, course=course).order_by("-started_at")
        )
        context["certificate"] = Certificate.objects.filter(user=user, course=course).first()
    return context


def lesson_detail_for(*, lesson: LessonPage) -> dict:
    """The lesson page's context that is the same for every reader (training/lesson_page.py
    adds the learner's progress)."""
    course = lesson.get_parent().specific
    siblings = list(
        LessonPage.objects.live()
        .sibling_of(lesson)
        .order_by("path")
        .only("pk", "title", "url_path", "path")
    )
    position = next(i for i, s in enumerate(siblings) if s.pk == lesson.pk)
    return {
        "course": course,
        "previous_lesson": siblings[position - 1] if position > 0 else None,
        "next_lesson": siblings[position + 1] if position + 1 < len(siblings) else None,
        "lesson_number": position + 1,
        "lesson_count": len(siblings),
    }


def path_detail_for(*, path: LearningPathPage, user) -> dict:
    courses = path.courses()
    done = set()
    if user.is_authenticated:
        source_courses = canonical(path).courses()
        completed = set(
            Enrollment.objects.filter(
                user=user, course__in=source_courses, status=EnrollmentStatus.COMPLETED
            ).values_list("course_id", flat=True)
        )
        done = {
            shown.pk
            for shown, source in zip(courses, source_courses, strict=False)
            if source.pk in completed
        }
    return {
        "path_courses": [(localized(c), c.pk in done) for c in courses],
        "path_done": bool(courses) and len(done) == len(courses),
    }


def event_detail_for(*, event: TrainingEventPage, user) -> dict:
    from .selectors_events import event_viewer_status

    event = canonical(event)
    counts = dict(
        EventRegistration.objects.filter(event=event)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    registration = (
        EventRegistration.objects.filter(event=event, user=user).first()
        if user.is_authenticated
        else None
    )
    registered = counts.get(RegistrationStatus.REGISTERED, 0) + counts.get(
        RegistrationStatus.ATTENDED, 0
    )
    now = timezone.now()
    return {
        "registration": registration,
        "places_left": max(event.capacity - registered, 0),
        "waitlisted": counts.get(RegistrationStatus.WAITLISTED, 0),
        "registration_open": event.registration_opens <= now <= event.registration_closes,
        **event_viewer_status(event=event, user=user, registration=registration, now=now),
    }


def annual_requirement() -> Decimal:
    """The yearly learning-hours requirement (site setting, default 50), in one query."""
    value = (
        TrainingSettings.objects.filter(site__is_default_site=True)
        .values_list("annual_requirement_hours", flat=True)
        .first()
    )
    return Decimal(50) if value is None else value


def hours_ledger(*, user, year: int | None = None) -> dict:
    year = year or timezone.localdate().year
    sums = dict(
        HoursEntry.objects.filter(user=user, year=year)
        .values_list("source")
        .annotate(total=Sum("hours"))
        .values_list("source", "total")
    )
    online = sums.get(HoursSource.COURSE) or Decimal(0)
    events = sums.get(HoursSource.EVENT) or Decimal(0)
    total = online + events
    required = annual_requirement()
    return {
        "year": year,
        "online_hours": online,
        "event_hours": events,
        "total_hours": total,
        "required_hours": required,
        "due_hours": max(required - total, Decimal(0)),
        "percent": min(int(total * 100 / required), 100) if required else 100,
    }


@dataclass
class EnrollmentRow:
    pk: int
    status: str
    due_date: datetime.date | None
    enrolled_at: datetime.datetime
    completed_at: datetime.datetime | None
    course: PageRef
    course_path: str
    last_lesson: PageRef | None
    course_url: str = ""
    course_title: str = ""
    continue_url: str | None = None
    lessons_done: int = 0
    lessons_total: int = 0
    overdue: bool = False


def _enrollment_rows(enrollments: QuerySet[Enrollment]) -> list[EnrollmentRow]:
    """Plain rows, not model instances: building hundreds of Page objects costs more than the query."""
    page = ("id", "title", "url_path", "translation_key", "locale_id")
    rows = enrollments.values_list(
        "pk", "status", "due_date", "enrolled_at", "completed_at", "course__path",
        *(f"course__{f}" for f in page), *(f"last_lesson__{f}" for f in page),
    )  # fmt: skip
    result = []
    for pk, status, due, enrolled, completed, course_path, *refs in rows:
        course, lesson = refs[:5], refs[5:]
        result.append(
            EnrollmentRow(
                pk,
                status,
                due,
                enrolled,
                completed,
                PageRef(*course),
                course_path,
                PageRef(*lesson) if lesson[0] is not None else None,
            )  # fmt: skip
        )
    return result


# "My learning" lists this many courses per page: a learner with hundreds of enrolments gets
# the first ones and page links, not one very long page.
MY_LEARNING_PAGE_SIZE = 20
MY_LEARNING_DUE_SHOWN = 10


@dataclass(frozen=True)
class ListPage:
    number: int
    num_pages: int
    count: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def _list_page(count: int, requested) -> ListPage:
    num_pages = max(1, -(-count // MY_LEARNING_PAGE_SIZE))
    try:
        number = min(max(int(requested), 1), num_pages)
    except (TypeError, ValueError):
        number = 1
    return ListPage(number, num_pages, count)


def _page_rows(enrollments: QuerySet[Enrollment], page: ListPage) -> list[EnrollmentRow]:
    if not page.count:
        return []
    start = (page.number - 1) * MY_LEARNING_PAGE_SIZE
    return _enrollment_rows(enrollments[start : start + MY_LEARNING_PAGE_SIZE])


def my_learning(*, user, page=1, done_page=1) -> dict:
    """Everything on the "My learning" page in a fixed number of queries, however many enrolments.

    In-progress and completed courses come a page of MY_LEARNING_PAGE_SIZE at a time (`page`,
    `done_page`); "Assigned to you" shows the MY_LEARNING_DUE_SHOWN nearest due dates (the
    in-progress list, ordered by due date, has the rest).
    """
    mine = Enrollment.objects.filter(user=user)
    completed_q = Q(status=EnrollmentStatus.COMPLETED)
    counts = mine.aggregate(
        completed=Count("pk", filter=completed_q),
        in_progress=Count("pk", filter=~completed_q),
        due=Count("pk", filter=~completed_q & Q(due_date__isnull=False)),
    )
    in_progress_page = _list_page(counts["in_progress"], page)
    completed_page = _list_page(counts["completed"], done_page)
    open_ones = mine.exclude(completed_q)
    in_progress = _page_rows(
        open_ones.order_by("status", "due_date", "-enrolled_at", "pk"), in_progress_page
    )
    completed = _page_rows(mine.filter(completed_q).order_by("-completed_at", "pk"), completed_page)
    due = (
        _enrollment_rows(
            open_ones.filter(due_date__isnull=False).order_by("due_date", "pk")[
                :MY_LEARNING_DUE_SHOWN
            ]
        )
        if counts["due"]
        else []
    )
    shown = in_progress + completed + due
    done_counts = dict(
        LessonProgress.objects.filter(
            enrollment_id__in={e.pk for e in shown}, completed_at__isnull=False
        )
        .values_list("enrollment_id")
        .annotate(n=Count("pk"))
        .values_list("enrollment_id", "n")
    )
    links = localized_links([e.course for e in shown] + [e.last_lesson for e in shown])
    totals = _lesson_totals({e.course_path: e.course.pk for e in shown})
    today = timezone.localdate()
    for e in shown:
        e.course_url, e.course_title = links[e.course.pk]
        e.continue_url = links[e.last_lesson.pk][0] if e.last_lesson else None
        e.lessons_done = done_counts.get(e.pk, 0)
        e.lessons_total = totals.get(e.course.pk, 0)
        e.overdue = (
            e.status != EnrollmentStatus.COMPLETED and e.due_date is not None and e.due_date < today
        )
    registrations = list(
        EventRegistration.objects.filter(
            user=user, event__ends_at__gte=timezone.now() - datetime.timedelta(days=1)
        )
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("event")
    )
    event_links = localized_links(
        [
            PageRef(
                r.event.pk,
                r.event.title,
                r.event.url_path,
                r.event.translation_key,
                r.event.locale_id,
            )
            for r in registrations
        ]
    )
    for r in registrations:
        r.event_url, r.event_title = event_links[r.event.pk]
    return {
        "in_progress": in_progress,
        "in_progress_page": in_progress_page,
        "completed": completed,
        "completed_page": completed_page,
        "due": due,
        "ledger": hours_ledger(user=user),
        "certificates": list(Certificate.objects.filter(user=user).order_by("-issued_at")),
        "registrations": registrations,
    }


def _lesson_totals(course_paths: dict[str, int]) -> dict[int, int]:
    """Number of live lessons per course (tree path → id), in one query on parent paths."""
    if not course_paths:
        return {}
    rows = (
        LessonPage.objects.live()
        .annotate(parent_path=Substr("path", 1, Length("path") - LessonPage.steplen))
        .filter(parent_path__in=list(course_paths))
        .order_by()  # the page manager orders by path, which would split every group
        .values("parent_path")
        .annotate(n=Count("pk"))
        .values_list("parent_path", "n")
    )
    return {course_paths[path]: n for path, n in rows}


def enrollments_for_user(*, user) -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(user=user).select_related("course").order_by("-enrolled_at")


def anomalies_in_scope(*, user):
    """Learning anomalies of learners whose region lies in the viewer's HR or editor scope."""
    from accounts.scope import filter_in_scope, staff_scope_role

    return filter_in_scope(
        LearningAnomaly.objects.select_related("user", "user__home_region", "lesson"),
        user,
        role=staff_scope_role(user),
        region_field="user__home_region",
    ).order_by("-created_at")


def attempt_questions(*, attempt: QuizAttempt) -> list[dict]:
    """The drawn questions, in the reader's language, in drawing order — never which option is right.

    Answers are graded on the source (Chinese) bank; a translation shows the question with the
    same position in its own bank, provided it has the same number of options.
    """
    from .blocks import parse_options

    source = {q.pk: q for q in QuizQuestion.objects.filter(pk__in=attempt.question_ids)}
    translated_by_order = {}
    locale = Locale.objects.filter(language_code=translation.get_language()).first()
    if locale is not None and locale.pk != attempt.course.locale_id:
        course = attempt.course.get_translation_or_none(locale)
        if course is not None:
            translated_by_order = {
                q.sort_order: q for q in QuizQuestion.objects.filter(course=course)
            }
    result = []
    for number, qid in enumerate(attempt.question_ids, start=1):
        question = source.get(qid)
        if question is None:
            continue
        options, _correct = parse_options(question.options)
        shown = translated_by_order.get(question.sort_order)
        if shown is not None and len(parse_options(shown.options)[0]) == len(options):
            options = parse_options(shown.options)[0]
        else:
            shown = question
        result.append(
            {
                "id": question.pk,
                "number": number,
                "kind": question.kind,
                "text": shown.text,
                "options": options,
                "explanation": shown.explanation,
            }
        )
    return result
