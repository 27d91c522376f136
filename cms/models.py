from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BodyBlock


class BasePage(Page):
    """Pages that tell the language switch where their translation lives."""

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        request.alternate_language_urls = {
            page.locale.language_code: page.get_url(request)
            for page in self.get_translations(inclusive=True).live().select_related("locale")
        }
        return context


class HomePage(BasePage):
    template = "cms/pages/home_page.html"
    intro = models.CharField(_("introduction"), max_length=250, blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.StandardPage",
        "cms.NewsIndexPage",
        "training.CourseIndexPage",
        "jobs.RecruitmentIndexPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        latest = list(NewsPage.objects.live().descendant_of(self).order_by("-date", "-pk")[:5])
        context["latest_news"] = latest
        if latest:
            # The list's heading leads to the full index. A news page's URL is its index's URL
            # plus its slug, so finding it costs no query.
            url = latest[0].get_url(request) or ""
            context["news_index_url"] = url[: url.rstrip("/").rfind("/") + 1] or None
        return context


class StandardPage(BasePage):
    template = "cms/pages/standard_page.html"
    summary = models.CharField(_("summary"), max_length=250, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


class NewsIndexPage(BasePage):
    template = "cms/pages/news_index_page.html"
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsPage"]
    PAGE_SIZE = 10

    class Meta:
        verbose_name = _("news index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        items = NewsPage.objects.live().child_of(self).order_by("-date", "-pk")
        kind = request.GET.get("kind")
        if kind in NewsPage.Kind.values:
            items = items.filter(kind=kind)
        paginator = Paginator(items.select_related("cover_image"), self.PAGE_SIZE)
        context["news"] = paginator.get_page(request.GET.get("page"))
        context["kind"] = kind if kind in NewsPage.Kind.values else ""
        context["kinds"] = NewsPage.Kind.choices
        return context


class NewsPage(BasePage):
    template = "cms/pages/news_page.html"

    class Kind(models.TextChoices):
        ANNOUNCEMENT = "announcement", _("Announcement")
        POLICY = "policy", _("Policy")

    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.ANNOUNCEMENT
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    summary = models.CharField(_("summary"), max_length=250)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("date"),
                FieldPanel("summary"),
                FieldPanel("cover_image"),
            ],
            heading=_("Listing"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news page")
        ordering = ["-date"]


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    organisation = models.CharField(
        _("organisation"), max_length=120, default="广东省乡村数字人才平台"
    )
    organisation_en = models.CharField(
        _("organisation (English)"),
        max_length=120,
        default="Guangdong Rural Digital Talent Platform",
    )
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    footer_text = models.CharField(_("footer text"), max_length=250, blank=True)
    icp_number = models.CharField(
        _("ICP filing number"), max_length=64, blank=True, help_text=_("e.g. 粤ICP备12345678号")
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("organisation"), FieldPanel("organisation_en")], heading=_("Organisation")
        ),
        MultiFieldPanel(
            [FieldPanel("contact_phone"), FieldPanel("contact_email"), FieldPanel("address")],
            heading=_("Contact"),
        ),
        MultiFieldPanel([FieldPanel("footer_text"), FieldPanel("icp_number")], heading=_("Footer")),
    ]

    class Meta:
        verbose_name = _("site settings")
