import secrets

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from modelcluster.fields import ParentalKey, ParentalManyToManyField

from cms.models import BasePage

from ..blocks import OPTIONS_HELP, LessonBodyBlock, media_seconds, validate_options
from ..choices import Audience, Category, EventFormat, QuestionKind

HOURS_VALIDATORS = [MinValueValidator(0), MaxValueValidator(200)]


class AudienceFields(models.Model):
    for_cadres = models.BooleanField(_("for cadres"), default=True)
    for_graduates = models.BooleanField(_("for graduates"), default=False)
    for_operators = models.BooleanField(_("for operators"), default=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def audiences(self) -> list[str]:
        flags = {
            Audience.CADRE: self.for_cadres,
            Audience.GRADUATE: self.for_graduates,
            Audience.OPERATOR: self.for_operators,
        }
        return [a for a, on in flags.items() if on]

    audience_panel = FieldRowPanel(
        [FieldPanel("for_cadres"), FieldPanel("for_graduates"), FieldPanel("for_operators")],
        heading=_("Audience"),
    )


class CourseIndexPage(BasePage):
    """The catalogue: online courses, learning paths and training events, with filters and search."""

    template = "training/pages/course_index_page.html"
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = [
        "training.CoursePage",
        "training.LearningPathPage",
        "training.TrainingEventPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from ..selectors import catalogue_search

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_search(index_page=self, params=request.GET))
        return context


class CoursePage(AudienceFields, BasePage):
    template = "training/pages/course_page.html"

    summary = models.CharField(_("summary"), max_length=300)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    declared_hours = models.DecimalField(
        _("learning hours"),
        max_digits=4,
        decimal_places=1,
        validators=HOURS_VALIDATORS,
        help_text=_("Credited to the learner once, when the course is complete."),
    )
    description = RichTextField(_("description"), blank=True)
    prerequisites = ParentalManyToManyField(
        "training.CoursePage",
        verbose_name=_("prerequisites"),
        blank=True,
        related_name="+",
        help_text=_("Courses that must be complete before this one can be started."),
    )
    sequential = models.BooleanField(
        _("lessons in order"),
        default=True,
        help_text=_("Each lesson opens only when the one before it is done."),
    )
    quiz_question_count = models.PositiveSmallIntegerField(
        _("questions per quiz"),
        default=5,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Drawn at random from the question bank for each attempt. 0 means the course has no quiz."
        ),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=60, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    attempt_limit = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=3, validators=[MinValueValidator(1)]
    )
    cooldown_minutes = models.PositiveIntegerField(_("wait between attempts (minutes)"), default=10)
    quiz_time_limit_minutes = models.PositiveIntegerField(
        _("time limit per attempt (minutes)"), default=20
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldRowPanel([FieldPanel("category"), FieldPanel("declared_hours")]),
        AudienceFields.audience_panel,
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("prerequisites"), FieldPanel("sequential")], heading=_("Rules")
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("quiz_question_count"), FieldPanel("pass_mark")]),
                FieldRowPanel(
                    [
                        FieldPanel("attempt_limit"),
                        FieldPanel("cooldown_minutes"),
                        FieldPanel("quiz_time_limit_minutes"),
                    ]
                ),
                InlinePanel("questions", label=_("Question bank")),
            ],
            heading=_("Assessment"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("category"),
        index.FilterField("for_cadres"),
        index.FilterField("for_graduates"),
        index.FilterField("for_operators"),
        index.FilterField("declared_hours"),
    ]
    parent_page_types = ["training.CourseIndexPage"]
    subpage_types = ["training.LessonPage"]

    class Meta:
        verbose_name = _("course")

    def clean(self):
        super().clean()
        if (
            self.pk
            and self.quiz_question_count
            and self.questions.count()
            and self.questions.count() < self.quiz_question_count
        ):
            raise ValidationError(
                {
                    "quiz_question_count": _(
                        "The question bank has fewer questions than each quiz draws."
                    )
                }
            )

    def get_context(self, request, *args, **kwargs):
        from ..selectors import course_detail_for

        context = super().get_context(request, *args, **kwargs)
        context.update(course_detail_for(course=self, user=request.user))
        return context


class QuizQuestion(Orderable):
    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(
        _("kind"), max_length=16, choices=QuestionKind.choices, default=QuestionKind.SINGLE
    )
    text = models.CharField(_("question"), max_length=500)
    options = models.TextField(_("options"), help_text=OPTIONS_HELP)
    explanation = models.TextField(
        _("explanation"), blank=True, help_text=_("Shown after submission.")
    )

    panels = [
        FieldPanel("kind"),
        FieldPanel("text"),
        FieldPanel("options"),
        FieldPanel("explanation"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("quiz question")

    def __str__(self) -> str:
        return self.text

    def clean(self):
        problems = validate_options(self.kind, self.options)
        if problems:
            raise ValidationError({"options": " ".join(map(str, problems))})


class LessonPage(BasePage):
    template = "training/pages/lesson_page.html"

    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"))
    reading_minutes = models.PositiveSmallIntegerField(
        _("reading time (minutes)"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Time a learner needs for the text. With video or audio, the longer of the two counts."
        ),
    )
    required = models.BooleanField(
        _("required"), default=True, help_text=_("Needed for the course to be complete.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("reading_minutes"), FieldPanel("required")]),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["training.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")

    @property
    def required_seconds(self) -> int:
        """Engaged time the server must observe before the lesson can be done."""
        return max(self.reading_minutes * 60, media_seconds(self.body))

    def get_context(self, request, *args, **kwargs):
        from ..lesson_page import CSRF_PLACEHOLDER
        from ..selectors import lesson_detail_for

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_detail_for(lesson=self))
        # The template renders the page's shell; training/lesson_page.py adds the learner's part.
        context["lesson_shell"] = True
        context["csrf_token"] = CSRF_PLACEHOLDER
        return context

    def serve(self, request, *args, **kwargs):
        from ..lesson_page import serve

        return serve(self, request, lambda r: super(LessonPage, self).serve(r, *args, **kwargs))


class LearningPathPage(AudienceFields, BasePage):
    template = "training/pages/learning_path_page.html"

    summary = models.CharField(_("summary"), max_length=300)
    description = RichTextField(_("description"), blank=True)
    is_pre_service_track = models.BooleanField(
        _("operators' pre-service track"),
        default=False,
        help_text=_(
            "Completing it counts as a policy priority when graduates apply for operator posts."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        AudienceFields.audience_panel,
        FieldPanel("is_pre_service_track"),
        FieldPanel("description"),
        InlinePanel("path_courses", label=_("Courses, in order"), min_num=1),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["training.CourseIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("learning path")

    def courses(self):
        return [pc.course for pc in self.path_courses.select_related("course").all()]

    def get_context(self, request, *args, **kwargs):
        from ..selectors import path_detail_for

        context = super().get_context(request, *args, **kwargs)
        context.update(path_detail_for(path=self, user=request.user))
        return context


class LearningPathCourse(Orderable):
    path = ParentalKey(LearningPathPage, on_delete=models.CASCADE, related_name="path_courses")
    course = models.ForeignKey(
        CoursePage, verbose_name=_("course"), on_delete=models.PROTECT, related_name="+"
    )

    panels = [FieldPanel("course")]


class TrainingEventPage(AudienceFields, BasePage):
    """A class, forum, expo or study visit: a date, a venue, places, and attendance taken by the organiser."""

    template = "training/pages/training_event_page.html"

    format = models.CharField(_("format"), max_length=16, choices=EventFormat.choices)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    summary = models.CharField(_("summary"), max_length=300)
    description = RichTextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue_region = models.ForeignKey(
        "regions.Region", verbose_name=_("venue region"), on_delete=models.PROTECT, related_name="+"
    )
    venue_address = models.CharField(_("venue address"), max_length=200)
    capacity = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    registration_opens = models.DateTimeField(_("registration opens"))
    registration_closes = models.DateTimeField(_("registration closes"))
    declared_hours = models.DecimalField(
        _("learning hours"), max_digits=4, decimal_places=1, validators=HOURS_VALIDATORS
    )
    attendance_secret = models.CharField(max_length=64, editable=False, default="")

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("format"), FieldPanel("category")]),
        FieldPanel("summary"),
        AudienceFields.audience_panel,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel("venue_region"),
                FieldPanel("venue_address"),
            ],
            heading=_("When and where"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldRowPanel(
                    [FieldPanel("registration_opens"), FieldPanel("registration_closes")]
                ),
                FieldPanel("declared_hours"),
            ],
            heading=_("Registration"),
        ),
        FieldPanel("description"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.FilterField("format")]
    parent_page_types = ["training.CourseIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("training event")

    def save(self, *args, **kwargs):
        if not self.attendance_secret:
            self.attendance_secret = secrets.token_hex(32)
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        if (
            self.registration_opens
            and self.registration_closes
            and self.registration_closes <= self.registration_opens
        ):
            errors["registration_closes"] = _("Registration must close after it opens.")
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        from ..selectors import event_detail_for

        context = super().get_context(request, *args, **kwargs)
        context.update(event_detail_for(event=self, user=request.user))
        return context
