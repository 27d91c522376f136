from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import ApplicationStatus, OfferStatus, PlacementStatus

USER = settings.AUTH_USER_MODEL


class Application(models.Model):
    """A graduate's application to one round, with ranked preferences over its posts."""

    round = models.ForeignKey(
        "jobs.RecruitmentRound", on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    written_score = models.DecimalField(
        _("written exam score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    interview_score = models.DecimalField(
        _("interview score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    eligibility_reason = models.CharField(_("reason"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "applicant"], name="application_unique_round_applicant"
            )
        ]
        indexes = [models.Index(fields=["round", "status"])]

    def __str__(self) -> str:
        return f"{self.round_id} · {self.applicant_id}"


class Preference(models.Model):
    """One ranked choice of a post (1 is the first choice)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="preferences"
    )
    post = models.ForeignKey("jobs.Post", on_delete=models.PROTECT, related_name="preferences")
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        ordering = ["application", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["application", "rank"], name="preference_unique_rank"),
            models.UniqueConstraint(fields=["application", "post"], name="preference_unique_post"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="preference_rank_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} #{self.rank} → {self.post_id}"


class ApplicationEvent(models.Model):
    """A status change of an application, shown to the graduate as a timeline."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status} → {self.to_status}"


class Offer(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="offers")
    post = models.ForeignKey("jobs.Post", on_delete=models.PROTECT, related_name="offers")
    match_run = models.ForeignKey(
        "jobs.MatchRun", null=True, blank=True, on_delete=models.PROTECT, related_name="offers"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=OfferStatus.choices, default=OfferStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    reply_deadline = models.DateTimeField(_("reply by"))
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status__in=["pending", "accepted"]),
                name="offer_one_open_per_application",
            )
        ]
        indexes = [models.Index(fields=["status", "reply_deadline"])]

    def __str__(self) -> str:
        return f"{self.application_id} → {self.post_id} ({self.status})"


class Placement(models.Model):
    """A graduate in post: created by an accepted offer, makes the village count as covered."""

    offer = models.OneToOneField(Offer, on_delete=models.PROTECT, related_name="placement")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="placements")
    post = models.ForeignKey("jobs.Post", on_delete=models.PROTECT, related_name="placements")
    village = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="placements"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PlacementStatus.choices,
        default=PlacementStatus.PUBLIC_NOTICE,
    )
    start_date = models.DateField(_("start date"))
    term_end = models.DateField(_("term ends"))
    ended_at = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["village", "status"])]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.village_id}"
