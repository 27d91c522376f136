from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import MatchRunKind, MatchRunStatus

USER = settings.AUTH_USER_MODEL


class MatchRun(models.Model):
    """One pass of the matching engine over one round (or several, for a joint match)."""

    rounds = models.ManyToManyField("jobs.RecruitmentRound", related_name="match_runs")
    kind = models.CharField(max_length=16, choices=MatchRunKind.choices)
    status = models.CharField(
        max_length=16, choices=MatchRunStatus.choices, default=MatchRunStatus.QUEUED
    )
    seed = models.BigIntegerField(default=0)
    parameters = models.JSONField(default=dict, blank=True)
    input_hash = models.CharField(max_length=64, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_message = models.CharField(max_length=200, blank=True)
    # When progress was last written: a RUNNING run silent for long is a lost worker.
    progress_at = models.DateTimeField(null=True, blank=True)
    statistics = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("match run")
        verbose_name_plural = _("match runs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class MatchResult(models.Model):
    """One applicant's outcome in a run, with what explains it."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="results")
    application = models.ForeignKey(
        "jobs.Application", on_delete=models.CASCADE, related_name="match_results"
    )
    post = models.ForeignKey(
        "jobs.Post", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    matched_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    # The applicant's number in the run's tie-break lottery (lower wins on equal scores).
    lottery = models.PositiveIntegerField(null=True, blank=True)
    # [{"post": id, "rank": n, "score": "80.10", "cutoff": "82.50" | null}], in ranked order.
    explanation = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "application"], name="matchresult_unique")
        ]
        indexes = [models.Index(fields=["application", "run"])]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.application_id} → {self.post_id}"


class PostCutoff(models.Model):
    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="cutoffs")
    post = models.ForeignKey("jobs.Post", on_delete=models.CASCADE, related_name="+")
    cutoff = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)
    filled = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "post"], name="postcutoff_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.post_id} ≥ {self.cutoff}"
