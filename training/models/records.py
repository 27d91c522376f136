from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from ..choices import (
    AnomalyKind,
    AssignmentStatus,
    EnrollmentSource,
    EnrollmentStatus,
    HoursSource,
    RegistrationStatus,
)

USER = settings.AUTH_USER_MODEL


class Enrollment(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="enrollments")
    course = models.ForeignKey(
        "training.CoursePage", on_delete=models.PROTECT, related_name="enrollments"
    )
    status = models.CharField(
        max_length=16, choices=EnrollmentStatus.choices, default=EnrollmentStatus.ACTIVE
    )
    source = models.CharField(
        max_length=16, choices=EnrollmentSource.choices, default=EnrollmentSource.SELF
    )
    assignment = models.ForeignKey(
        "training.Assignment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enrollments",
    )
    due_date = models.DateField(null=True, blank=True)
    enrolled_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    last_lesson = models.ForeignKey(
        "training.LessonPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_7d_at = models.DateTimeField(null=True, blank=True)
    reminded_1d_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="enrollment_unique_user_course")
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.course_id}"


class LessonProgress(models.Model):
    """Engaged time the server observed on one lesson, and the checkpoints answered correctly."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey("training.LessonPage", on_delete=models.CASCADE, related_name="+")
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    engaged_seconds = models.PositiveIntegerField(default=0)
    required_seconds = models.PositiveIntegerField()
    last_position = models.PositiveIntegerField(default=0)
    checkpoints_passed = models.JSONField(default=list)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson"], name="lessonprogress_unique_user_lesson"
            ),
            models.CheckConstraint(
                condition=Q(engaged_seconds__lte=models.F("required_seconds")),
                name="lessonprogress_capped",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.lesson_id}: {self.engaged_seconds}/{self.required_seconds}s"


class LearnerClock(models.Model):
    """One per learner: the last heartbeat the server accepted, on any lesson and any device.

    Engaged time is credited from this single clock, so two tabs or two devices at once can
    never earn more than the wall-clock time that passed.
    """

    user = models.OneToOneField(USER, on_delete=models.CASCADE, primary_key=True, related_name="+")
    last_beat_at = models.DateTimeField()
    last_seq = models.BigIntegerField(default=0)
    device = models.CharField(max_length=40, blank=True)
    # What the clock said before the latest report, returned by the same UPDATE statement.
    prev_beat_at = models.DateTimeField()
    prev_seq = models.BigIntegerField(default=0)
    prev_device = models.CharField(max_length=40, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.last_beat_at:%H:%M:%S}"


class LearningAnomaly(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(
        "training.LessonPage", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=24, choices=AnomalyKind.choices)
    detail = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("learning anomaly")
        verbose_name_plural = _("learning anomalies")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.user_id}"


class QuizAttempt(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey("training.CoursePage", on_delete=models.PROTECT, related_name="+")
    question_ids = models.JSONField()
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["user", "course", "started_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.course_id} · {self.score}"


class HoursEntry(models.Model):
    """The learning-hours ledger: one row per course completed or event attended, never twice."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="hours_entries")
    year = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=8, choices=HoursSource.choices)
    course = models.ForeignKey(
        "training.CoursePage", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    event = models.ForeignKey(
        "training.TrainingEventPage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hours = models.DecimalField(max_digits=5, decimal_places=1)
    credited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=Q(course__isnull=False),
                name="hours_once_per_course",
            ),
            models.UniqueConstraint(
                fields=["user", "event"],
                condition=Q(event__isnull=False),
                name="hours_once_per_event",
            ),
            models.CheckConstraint(
                condition=(
                    Q(source=HoursSource.COURSE, course__isnull=False, event__isnull=True)
                    | Q(source=HoursSource.EVENT, event__isnull=False, course__isnull=True)
                ),
                name="hours_one_source",
            ),
        ]
        indexes = [models.Index(fields=["user", "year"])]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.year} · {self.hours}"


class Certificate(models.Model):
    code = models.CharField(max_length=16, unique=True)
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="certificates")
    course = models.ForeignKey(
        "training.CoursePage", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    path = models.ForeignKey(
        "training.LearningPathPage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(max_length=255)
    holder_name = models.CharField(max_length=64)
    hours = models.DecimalField(max_digits=5, decimal_places=1)
    issued_at = models.DateTimeField(default=timezone.now)
    png = models.FileField(upload_to="certificates/", blank=True)
    pdf = models.FileField(upload_to="certificates/", blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=300, blank=True)
    revoked_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=Q(course__isnull=False),
                name="certificate_once_per_course",
            ),
            models.UniqueConstraint(
                fields=["user", "path"],
                condition=Q(path__isnull=False),
                name="certificate_once_per_path",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class EventRegistration(models.Model):
    event = models.ForeignKey(
        "training.TrainingEventPage", on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="event_registrations")
    status = models.CharField(max_length=16, choices=RegistrationStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)
    attended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="registration_unique_event_user")
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.event_id} · {self.user_id} · {self.status}"


class Assignment(models.Model):
    """A course or path assigned to every cadre of a region, or to a list of people, with a due date."""

    course = models.ForeignKey(
        "training.CoursePage", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    path = models.ForeignKey(
        "training.LearningPathPage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user_ids = models.JSONField(default=list, blank=True)
    due_date = models.DateField()
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.PENDING
    )
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created_enrollments = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(course__isnull=False, path__isnull=True)
                | Q(course__isnull=True, path__isnull=False),
                name="assignment_course_or_path",
            )
        ]

    def __str__(self) -> str:
        return f"{self.course_id or self.path_id} → {self.region_id or len(self.user_ids)} ({self.status})"


class AssignmentNotice(models.Model):
    """Who was told about an assignment: each person is e-mailed once, whatever reruns happen."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "user"], name="assignment_notice_once")
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} · {self.user_id}"


@register_setting(icon="time")
class TrainingSettings(BaseSiteSetting):
    annual_requirement_hours = models.DecimalField(
        _("annual learning-hours requirement"), max_digits=5, decimal_places=1, default=50
    )

    class Meta:
        verbose_name = _("training settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
