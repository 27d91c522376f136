from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from ..choices import ROUND_STAGE_ORDER, EducationLevel, HometownRestriction, RoundStage

USER = settings.AUTH_USER_MODEL
DEFAULT_POST_TITLE = "公共服务站专职操作员"
# The same title for readers of another language (the stored default is the Chinese one).
DEFAULT_POST_TITLE_TRANSLATABLE = gettext_noop("Full-time operator of the public-service station")


class RecruitmentRound(models.Model):
    """A recruitment round (招聘批次) owned by a county or city HR office."""

    name = models.CharField(_("name"), max_length=120)
    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("owning region"),
        on_delete=models.PROTECT,
        related_name="recruitment_rounds",
        help_text=_("The county or city whose HR office runs the round."),
    )
    stage = models.CharField(
        _("stage"), max_length=24, choices=RoundStage.choices, default=RoundStage.DRAFT
    )
    # Stage dates: the round moves forward on these dates, or earlier by an officer's action.
    announce_on = models.DateField(_("announcement date"), null=True, blank=True)
    applications_open_at = models.DateTimeField(_("applications open"), null=True, blank=True)
    applications_close_at = models.DateTimeField(_("applications close"), null=True, blank=True)
    eligibility_review_until = models.DateField(_("eligibility review ends"), null=True, blank=True)
    scores_until = models.DateField(_("scores entered by"), null=True, blank=True)
    matching_on = models.DateField(_("matching date"), null=True, blank=True)
    offer_reply_days = models.PositiveSmallIntegerField(
        _("days to reply to an offer"), default=7, validators=[MinValueValidator(1)]
    )
    notice_working_days = models.PositiveSmallIntegerField(
        _("public notice (working days)"), default=5, validators=[MinValueValidator(1)]
    )
    onboarding_on = models.DateField(_("onboarding date"), null=True, blank=True)
    age_reference_date = models.DateField(
        _("age reference date"),
        null=True,
        blank=True,
        help_text=_(
            "Age limits are checked at this date; the applications' closing date if empty."
        ),
    )
    max_preferences = models.PositiveSmallIntegerField(
        _("maximum ranked preferences"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    weight_written = models.DecimalField(
        _("written exam weight (%)"), max_digits=5, decimal_places=2, default=Decimal("50")
    )
    weight_interview = models.DecimalField(
        _("interview weight (%)"), max_digits=5, decimal_places=2, default=Decimal("50")
    )
    bonus_home_village = models.DecimalField(
        _("bonus: hometown in the post's village"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("5"),
    )
    bonus_home_township = models.DecimalField(
        _("bonus: hometown in the post's township"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("3"),
    )
    bonus_home_county = models.DecimalField(
        _("bonus: hometown in the post's county"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
    )
    bonus_preservice = models.DecimalField(
        _("bonus: pre-service learning path completed"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("2"),
    )
    bonus_under_served = models.DecimalField(
        _("bonus: post in an under-served region"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
    )
    # Further bonuses the round defines: [{"name": ..., "points": ..., "rule": ...}].
    extra_bonuses = models.JSONField(_("other bonuses"), default=list, blank=True)
    preservice_path = models.ForeignKey(
        "training.LearningPathPage",
        verbose_name=_("pre-service learning path"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    in_service_courses = models.ManyToManyField(
        "training.CoursePage",
        verbose_name=_("in-service courses"),
        blank=True,
        related_name="+",
        help_text=_("Assigned to every graduate who takes up a post of this round."),
    )
    objection_contact = models.CharField(_("contact for objections"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Set while a match run is in progress: two runs of one round never overlap.
    locked_by_run = models.ForeignKey(
        "jobs.MatchRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("recruitment round")
        verbose_name_plural = _("recruitment rounds")
        ordering = ["-year", "region__path", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stage__in=ROUND_STAGE_ORDER), name="round_stage_valid"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def stage_index(self) -> int:
        return ROUND_STAGE_ORDER.index(self.stage)

    def applications_window_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.stage == RoundStage.APPLICATIONS_OPEN
            and (self.applications_open_at is None or self.applications_open_at <= now)
            and (self.applications_close_at is None or now < self.applications_close_at)
        )


class RoundTransition(models.Model):
    """A round moved from one stage to the next: who (None: on its date) and when."""

    round = models.ForeignKey(
        RecruitmentRound, on_delete=models.CASCADE, related_name="transitions"
    )
    from_stage = models.CharField(max_length=24, choices=RoundStage.choices)
    to_stage = models.CharField(max_length=24, choices=RoundStage.choices)
    actor = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.from_stage} → {self.to_stage}"


class Post(models.Model):
    """An operator post at a real village of the round's region."""

    round = models.ForeignKey(RecruitmentRound, on_delete=models.CASCADE, related_name="posts")
    village = models.ForeignKey(
        "regions.Region", verbose_name=_("village"), on_delete=models.PROTECT, related_name="posts"
    )
    # The village's Region.path, copied so that the public search by region is one indexed
    # prefix scan on this table, ordered by the same index (no join, no sort of the whole set).
    region_path = models.CharField(max_length=80, db_index=True, editable=False, default="")
    title = models.CharField(_("title"), max_length=64, default=DEFAULT_POST_TITLE)
    headcount = models.PositiveSmallIntegerField(
        _("headcount"), default=1, validators=[MinValueValidator(1)]
    )
    min_education = models.CharField(
        _("minimum education"),
        max_length=16,
        choices=EducationLevel.choices,
        default=EducationLevel.JUNIOR_COLLEGE,
    )
    full_time_required = models.BooleanField(_("full-time degree required"), default=True)
    majors = models.ManyToManyField(
        "jobs.Major",
        verbose_name=_("majors"),
        blank=True,
        related_name="+",
        help_text=_("Empty: any major."),
    )
    # Age limits by degree level at the round's reference date: {"bachelor": 30, ...}.
    max_age_by_level = models.JSONField(_("age limit by degree level"), default=dict, blank=True)
    hometown_restriction = models.CharField(
        _("hometown restriction"),
        max_length=16,
        choices=HometownRestriction.choices,
        default=HometownRestriction.NONE,
    )
    dialects = models.JSONField(
        _("dialects"), default=list, blank=True, help_text=_("Any one of these is required.")
    )
    monthly_subsidy_fen = models.PositiveIntegerField(_("monthly subsidy (fen)"), default=0)
    service_term_months = models.PositiveSmallIntegerField(_("service term (months)"), default=24)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["village__path"]
        constraints = [
            models.UniqueConstraint(fields=["round", "village"], name="post_unique_round_village")
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.village.name}"

    def save(self, *args, **kwargs):
        if self.village_id and not self.region_path:
            self.region_path = self.village.path
        super().save(*args, **kwargs)

    @property
    def display_title(self) -> str:
        """The title in the reader's language when it is the default one; else as HR wrote it."""
        if self.title == DEFAULT_POST_TITLE:
            return gettext(DEFAULT_POST_TITLE_TRANSLATABLE)
        return self.title

    @property
    def monthly_subsidy_yuan(self) -> Decimal:
        return Decimal(self.monthly_subsidy_fen) / 100
