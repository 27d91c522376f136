"""Assignments: a course or learning path given to every cadre of a region (or to a list of
people) with a due date, run in the background; the reminders before the due date; the
overdue list for the HR office of a region.

A run is idempotent and resumable. It walks the people in batches of `BATCH_SIZE` by id;
each batch, in one transaction, inserts the enrolments and the notices that do not exist yet
and records its progress on the assignment. The inserts are set-based (`INSERT … SELECT …
ON CONFLICT DO NOTHING`, against the unique constraints user + course and assignment + user;
PostgreSQL, and SQLite ≥ 3.35 for RETURNING), so that 200,000 people take seconds rather than
building 400,000 model instances. A second run, or a run after a worker was killed half-way,
finds everything already there and adds nothing: nobody is enrolled twice or e-mailed twice.
E-mails leave from separate tasks of `MAIL_CHUNK` people each, so the run itself stays fast.
"""

import datetime
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import RoleGrant, User
from accounts.scope import STAFF_ROLES, has_scope, region_in_staff_scope, scope_q, staff_scope_role
from core.email import email_send
from regions.models import Region

from ..canonical import canonical, localized
from ..choices import AssignmentStatus, EnrollmentSource, EnrollmentStatus
from ..models import Assignment, AssignmentNotice, CoursePage, Enrollment, LearningPathPage

logger = logging.getLogger(__name__)

BATCH_SIZE = 5000
MAIL_CHUNK = 500
REMINDER_BATCH = 500
REMINDER_DAYS = ((7, "reminded_7d_at"), (1, "reminded_1d_at"))
ERROR_MAX_LENGTH = 2000

# Who may assign: training editors and HR officers within their scope, and administrators.


class AssignmentFailure(RuntimeError):
    """Raised on purpose by a test or a drill (`fail_after_batches`) to stop a run half-way."""


# --- permissions --------------------------------------------------------------------------------


def can_assign(user: User) -> bool:
    """Whether `user` may assign courses at all (an editor or HR officer with a scope, or an admin)."""
    return staff_scope_role(user) is not None


def can_assign_in(user: User, region: Region | None) -> bool:
    """Whether `region` lies in the scope in which `user` may assign (or import cadres)."""
    return region_in_staff_scope(user, region)


def assignment_visible_to(user: User, assignment: Assignment) -> bool:
    if user.has_role(Role.ADMIN) or assignment.created_by_id == user.pk:
        return True
    return assignment.region is not None and can_assign_in(user, assignment.region)


def assignments_visible_to(user: User) -> QuerySet[Assignment]:
    qs = Assignment.objects.select_related("course", "path", "region", "created_by")
    if user.has_role(Role.ADMIN):
        return qs
    visible = Q(created_by=user)
    for role in STAFF_ROLES:
        if has_scope(user, role=role):
            visible |= scope_q(user, role=role, region_field="region")
    return qs.filter(visible)


# --- creating an assignment ---------------------------------------------------------------------


def _describe(user: User) -> str:
    return f"{user.full_name} <{user.email}>" if user.full_name else user.email


@transaction.atomic
def assignment_create(
    *,
    by: User,
    course: CoursePage | None = None,
    path: LearningPathPage | None = None,
    region: Region | None = None,
    user_ids: Iterable[int] | None = None,
    due_date: datetime.date,
) -> Assignment:
    """Assign a course or a path to every cadre of `region`, or to the people `user_ids`.

    The run happens in the background (training.tasks.run_assignment) after the commit.
    """
    if not can_assign(by):
        raise PermissionDenied(
            _("Only training editors, HR officers and administrators can assign courses.")
        )
    if (course is None) == (path is None):
        raise ValidationError({"target": _("Choose one course or one learning path.")})
    target = canonical(course or path)
    if not target.live:
        raise ValidationError({"target": _("This course or learning path is not published.")})
    ids = sorted({int(pk) for pk in user_ids or []})
    if (region is None) == (not ids):
        raise ValidationError({"region": _("Choose a region or list the people, not both.")})
    errors: dict[str, list[str]] = {}
    if region is not None and not can_assign_in(by, region):
        errors["region"] = [_("This region is outside your scope.")]
    if ids:
        people = list(User.objects.filter(pk__in=ids).select_related("home_region").order_by("pk"))
        missing = len(ids) - len(people)
        outside = [_describe(p) for p in people if not can_assign_in(by, p.home_region)]
        if missing:
            errors.setdefault("people", []).append(
                _("%(count)d of the people listed have no account.") % {"count": missing}
            )
        if outside:
            errors.setdefault("people", []).append(
                _("These people are outside your scope: %(people)s")
                % {"people": "、".join(outside)}
            )
    if due_date <= timezone.localdate():
        errors["due_date"] = [_("The due date must be in the future.")]
    if errors:
        raise ValidationError(errors)
    assignment = Assignment(
        course=target if isinstance(target, CoursePage) else None,
        path=target if isinstance(target, LearningPathPage) else None,
        region=region,
        user_ids=ids,
        due_date=due_date,
        created_by=by,
    )
    assignment.full_clean()
    assignment.save()
    _enqueue_run(assignment.pk)
    return assignment


def _enqueue_run(assignment_id: int) -> None:
    from ..tasks import run_assignment

    transaction.on_commit(partial(run_assignment.delay, assignment_id))


def assignment_rerun(*, by: User, assignment: Assignment) -> Assignment:
    """Queue a finished or failed assignment again: it adds whoever is missing, nothing twice."""
    if not (assignment_visible_to(by, assignment) and can_assign(by)):
        raise PermissionDenied
    if assignment.status not in (AssignmentStatus.DONE, AssignmentStatus.FAILED):
        raise ValidationError(_("This assignment is already queued or running."))
    with transaction.atomic():
        Assignment.objects.filter(pk=assignment.pk).update(
            status=AssignmentStatus.PENDING, error=""
        )
        _enqueue_run(assignment.pk)
    assignment.refresh_from_db()
    return assignment


# --- running it ----------------------------------------------------------------------------------


def assignment_courses(assignment: Assignment) -> list[CoursePage]:
    if assignment.course_id:
        return [assignment.course] if assignment.course.live else []
    return [canonical(c) for c in assignment.path.courses() if c.live]


def assignment_people(assignment: Assignment) -> QuerySet[User]:
    """The people an assignment reaches: the active cadres of its region, or the listed people."""
    people = User.objects.filter(is_active=True)
    if assignment.region_id is None:
        return people.filter(pk__in=assignment.user_ids)
    region = assignment.region
    if region.parent_id is None:  # the province: everyone with a home region
        people = people.filter(home_region__isnull=False)
    else:
        people = people.filter(home_region__in=Region.objects.descendants_of(region).values("pk"))
    return people.filter(Exists(RoleGrant.objects.filter(user=OuterRef("pk"), role=Role.CADRE)))


@dataclass
class RunResult:
    assignment: Assignment
    batches: int = 0
    enrolled: int = 0
    notified: int = 0


def assignment_run(
    *,
    assignment_id: int,
    batch_size: int = BATCH_SIZE,
    fail_after_batches: int | None = None,
) -> RunResult:
    """Enrol everyone the assignment reaches and queue one e-mail per person, in batches.

    Safe to run again at any time (and run again it is, if a worker dies: the task is acks_late).
    `fail_after_batches` stops the run with an error after that many committed batches, to
    prove that a rerun resumes cleanly.
    """
    assignment = Assignment.objects.select_related("course", "path", "region").get(pk=assignment_id)
    result = RunResult(assignment=assignment)
    try:
        courses = assignment_courses(assignment)
        if not courses:
            raise ValidationError(_("The course or learning path is no longer published."))
        people = assignment_people(assignment)
        total = people.count()
        Assignment.objects.filter(pk=assignment_id).update(
            status=AssignmentStatus.RUNNING, total=total, processed=0, error="", finished_at=None
        )
        processed = 0
        for ids in _id_batches(people, batch_size):
            with transaction.atomic():
                # One batch at a time per assignment, even if two workers run it at once.
                list(
                    Assignment.objects.select_for_update()
                    .filter(pk=assignment_id)
                    .values_list("pk")
                )
                enrolled = _enrol_batch(assignment, courses, people, ids)
                notify = _notices_batch(assignment, people, ids)
                processed += len(ids)
                Assignment.objects.filter(pk=assignment_id).update(
                    processed=processed, created_enrollments=F("created_enrollments") + enrolled
                )
                for chunk in _chunks(notify, MAIL_CHUNK):
                    _enqueue_notices(assignment_id, chunk)
            result.batches += 1
            result.enrolled += enrolled
            result.notified += len(notify)
            if fail_after_batches is not None and result.batches >= fail_after_batches:
                raise AssignmentFailure(f"stopped on purpose after {result.batches} batch(es)")
        Assignment.objects.filter(pk=assignment_id).update(
            status=AssignmentStatus.DONE,
            total=processed,
            processed=processed,
            finished_at=timezone.now(),
        )
    except Exception as exc:
        message = (
            "; ".join(exc.messages)
            if isinstance(exc, ValidationError)
            else f"{type(exc).__name__}: {exc}"
        )
        logger.exception("assignment %s failed", assignment_id)
        Assignment.objects.filter(pk=assignment_id).update(
            status=AssignmentStatus.FAILED,
            error=message[:ERROR_MAX_LENGTH],
            finished_at=timezone.now(),
        )
        raise
    assignment.refresh_from_db()
    return result


def _id_batches(people: QuerySet[User], size: int) -> Iterator[list[int]]:
    """Ids in ascending order, `size` at a time, by keyset (no OFFSET, no big list in memory)."""
    last = 0
    while True:
        ids = list(people.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size])
        if not ids:
            return
        yield ids
        last = ids[-1]


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _in_range(people: QuerySet[User], ids: list[int]) -> tuple[str, list]:
    """SQL (and params) selecting the ids of this batch: the people query on an id range.

    The batch is a contiguous id range of the people query, so re-applying the query to that
    range selects exactly the batch without sending 5,000 ids to the database.
    """
    sql, params = (
        people.filter(pk__gte=ids[0], pk__lte=ids[-1])
        .order_by()
        .annotate(person_id=F("pk"))
        .values("person_id")
        .query.sql_with_params()
    )
    return sql, list(params)


def _db(model, name: str, value):
    """A value as the database column `model.name` stores it (dates and times differ by backend)."""
    return model._meta.get_field(name).get_db_prep_value(value, connection)


def _columns(model, names: list[str]) -> str:
    quote = connection.ops.quote_name
    return ", ".join(quote(model._meta.get_field(name).column) for name in names)


def _enrol_batch(
    assignment: Assignment, courses: list[CoursePage], people: QuerySet[User], ids: list[int]
) -> int:
    """Create the missing enrolments of this batch; give a due date to those that had none.

    One INSERT … SELECT … ON CONFLICT DO NOTHING per course: the database skips whoever is
    already enrolled (unique user + course), so a rerun or a concurrent run adds nothing, and
    no model instances are built for 5,000 rows. Returns the number of rows inserted.
    """
    sql, params = _in_range(people, ids)
    # An enrolment that already existed keeps its source (self-enrolled) but gets the date.
    Enrollment.objects.filter(
        course__in=courses,
        user_id__gte=ids[0],
        user_id__lte=ids[-1],
        user_id__in=people.filter(pk__gte=ids[0], pk__lte=ids[-1]).order_by().values("pk"),
        due_date__isnull=True,
    ).update(due_date=assignment.due_date, assignment_id=assignment.pk)
    quote = connection.ops.quote_name
    table = quote(Enrollment._meta.db_table)
    columns = _columns(
        Enrollment, ["user", "course", "status", "source", "assignment", "due_date", "enrolled_at"]
    )
    values = [
        EnrollmentStatus.ACTIVE.value,
        EnrollmentSource.ASSIGNED.value,
        assignment.pk,
        _db(Enrollment, "due_date", assignment.due_date),
        _db(Enrollment, "enrolled_at", timezone.now()),
    ]
    inserted = 0
    with connection.cursor() as cursor:
        for course in courses:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) "  # noqa: S608 - names from the model, values bound
                f"SELECT p.person_id, %s, %s, %s, %s, %s, %s FROM ({sql}) AS p WHERE 1 = 1 "
                "ON CONFLICT DO NOTHING",
                [course.pk, *values, *params],
            )
            inserted += max(cursor.rowcount, 0)
    return inserted


def _notices_batch(assignment: Assignment, people: QuerySet[User], ids: list[int]) -> list[int]:
    """Record a notice for each person of the batch not yet told; return exactly those people.

    RETURNING gives the rows this statement inserted, not those another run already had:
    whoever is returned here is e-mailed, by this run and no other.
    """
    sql, params = _in_range(people, ids)
    quote = connection.ops.quote_name
    table = quote(AssignmentNotice._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({_columns(AssignmentNotice, ['assignment', 'user', 'sent_at'])}) "  # noqa: S608
            f"SELECT %s, p.person_id, %s FROM ({sql}) AS p WHERE 1 = 1 "
            f"ON CONFLICT DO NOTHING RETURNING {quote(AssignmentNotice._meta.get_field('user').column)}",
            [assignment.pk, _db(AssignmentNotice, "sent_at", timezone.now()), *params],
        )
        return sorted(row[0] for row in cursor.fetchall())


def _enqueue_notices(assignment_id: int, user_ids: list[int]) -> None:
    from ..tasks import send_assignment_notices

    transaction.on_commit(partial(send_assignment_notices.delay, assignment_id, user_ids))


# --- e-mails -------------------------------------------------------------------------------------


def _site_root() -> str:
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url if site else settings.WAGTAILADMIN_BASE_URL


def _links_in(language: str, target, root: str) -> dict:
    """The page's title and address in `language` (its translation if there is one)."""
    with translation.override(language):
        shown = localized(target)
        return {
            "title": shown.title,
            "link": shown.get_full_url() or root + (shown.url or "/"),
            "my_learning": root + reverse("training:my_learning"),
        }


def assignment_notices_send(*, assignment_id: int, user_ids: list[int]) -> int:
    """E-mail these people about the assignment, each in their own language. Returns the count."""
    assignment = Assignment.objects.select_related("course", "path", "created_by").get(
        pk=assignment_id
    )
    target = assignment.course or assignment.path
    root = _site_root()
    links: dict[str, dict] = {}
    people = User.objects.filter(pk__in=user_ids, is_active=True).only(
        "pk", "email", "full_name", "preferred_language"
    )
    sent = 0
    for user in people:
        language = user.preferred_language or settings.LANGUAGE_CODE
        if language not in links:
            links[language] = _links_in(language, target, root)
        with translation.override(language):
            email_send(
                to=[user.email],
                template="training/email/assignment",
                context={
                    "user": user,
                    "is_path": assignment.path_id is not None,
                    "due_date": assignment.due_date,
                    "assigner": assignment.created_by.get_full_name(),
                    **links[language],
                },
            )
        sent += 1
    return sent


def reminders_send(*, today: datetime.date | None = None) -> dict[int, int]:
    """E-mail learners whose assigned course is due in 7 days, and in 1 day: each reminder once.

    Rows are claimed under a lock (skipped if another worker holds them) and stamped in the
    same transaction that queues the e-mail, so a second run the same day sends nothing.
    """
    today = today or timezone.localdate()
    root = _site_root()
    links: dict[tuple[str, int], dict] = {}
    sent: dict[int, int] = {}
    for days, stamp in REMINDER_DAYS:
        due = today + datetime.timedelta(days=days)
        pending = (
            Enrollment.objects.filter(
                due_date=due, user__is_active=True, **{f"{stamp}__isnull": True}
            )
            .exclude(status=EnrollmentStatus.COMPLETED)
            .select_related("user", "course")
            .order_by("pk")
        )
        sent[days] = 0
        while True:
            with transaction.atomic():
                batch = list(
                    pending.select_for_update(skip_locked=True, of=("self",))[:REMINDER_BATCH]
                )
                if not batch:
                    break
                for enrollment in batch:
                    _remind(enrollment=enrollment, days=days, root=root, links=links)
                Enrollment.objects.filter(pk__in=[e.pk for e in batch]).update(
                    **{stamp: timezone.now()}
                )
            sent[days] += len(batch)
    return sent


def _remind(*, enrollment: Enrollment, days: int, root: str, links: dict) -> None:
    user = enrollment.user
    language = user.preferred_language or settings.LANGUAGE_CODE
    key = (language, enrollment.course_id)
    if key not in links:
        links[key] = _links_in(language, enrollment.course, root)
    with translation.override(language):
        email_send(
            to=[user.email],
            template="training/email/reminder",
            context={
                "user": user,
                "days": days,
                "due_date": enrollment.due_date,
                **links[key],
            },
        )


# --- overdue -------------------------------------------------------------------------------------


def overdue_enrollments(
    *, viewer: User, today: datetime.date | None = None
) -> QuerySet[Enrollment]:
    """Enrolments past their due date and not completed, of people in the viewer's scope."""
    role = staff_scope_role(viewer)
    if role is None:
        return Enrollment.objects.none()
    today = today or timezone.localdate()
    return (
        Enrollment.objects.filter(due_date__lt=today, user__is_active=True)
        .exclude(status=EnrollmentStatus.COMPLETED)
        .filter(scope_q(viewer, role=role, region_field="user__home_region"))
    )


@dataclass
class RegionCount:
    region: Region | None  # None: people registered directly at the parent region itself
    count: int


def overdue_counts_by_child(*, overdue: QuerySet[Enrollment], parent: Region) -> list[RegionCount]:
    """Overdue enrolments under `parent`, counted per child region, in two or three queries."""
    children = list(Region.objects.filter(parent=parent).order_by("code"))
    under = overdue.filter(user__home_region__path__startswith=parent.path)
    counts: dict[str, int] = {}
    for length in sorted({len(c.path) for c in children}):
        rows = (
            under.exclude(user__home_region=parent)
            .annotate(prefix=Substr("user__home_region__path", 1, length))
            .values("prefix")
            .annotate(n=Count("pk"))
        )
        counts.update({row["prefix"]: row["n"] for row in rows})
    result = [RegionCount(region=c, count=counts.get(c.path, 0)) for c in children]
    direct = under.filter(user__home_region=parent).count()
    if direct:
        result.insert(0, RegionCount(region=None, count=direct))
    return result
