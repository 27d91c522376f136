from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from cms.models import BasePage


class RecruitmentIndexPage(BasePage):
    """Where announcements (招聘公告) and public notices (公示) of rounds are published."""

    template = "jobs/pages/recruitment_index_page.html"
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["jobs.RoundAnnouncementPage", "jobs.PublicNoticePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("recruitment index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["announcements"] = (
            RoundAnnouncementPage.objects.live()
            .child_of(self)
            .select_related("round__region")
            .order_by("-first_published_at")
        )
        context["notices"] = (
            PublicNoticePage.objects.live()
            .child_of(self)
            .select_related("round__region")
            .order_by("-opens_on", "-first_published_at")
        )
        return context


class RoundAnnouncementPage(BasePage):
    """A round's announcement: generated from the round, then the editors' to word."""

    template = "jobs/pages/round_announcement_page.html"
    round = models.ForeignKey(
        "jobs.RecruitmentRound",
        verbose_name=_("recruitment round"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="announcement_pages",
    )
    body = RichTextField(_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("round"), FieldPanel("body")]
    parent_page_types = ["jobs.RecruitmentIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("recruitment announcement")


class PublicNoticePage(BasePage):
    """The public notice (公示) of the people to be hired: names masked, no ID numbers."""

    template = "jobs/pages/public_notice_page.html"
    round = models.ForeignKey(
        "jobs.RecruitmentRound",
        verbose_name=_("recruitment round"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="notice_pages",
    )
    opens_on = models.DateField(_("notice opens"))
    ends_on = models.DateField(_("notice ends"))
    objection_contact = models.CharField(_("contact for objections"), max_length=200)
    intro = RichTextField(_("introduction"), blank=True)
    # A snapshot taken when the notice was generated: [{"name": "张*三", "village": ..., ...}].
    entries = models.JSONField(_("people to be hired"), default=list, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("round"),
        FieldPanel("opens_on"),
        FieldPanel("ends_on"),
        FieldPanel("objection_contact"),
        FieldPanel("intro"),
    ]
    parent_page_types = ["jobs.RecruitmentIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("public notice")

    def is_open(self, today=None) -> bool:
        """The list is shown from its opening date; before that, only that it will open."""
        return (today or timezone.localdate()) >= self.opens_on

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        context["notice_open"] = self.is_open(today)
        context["notice_ended"] = today > self.ends_on
        context["entries"] = self.entries if context["notice_open"] else []
        return context
