"""The round's announcement (招聘公告): a Wagtail page generated from the round, then editable.

Generating again rewrites the page from the round as it is now (title and body) and publishes
it; editors may change the wording in the Wagtail admin afterwards. The Chinese page sits under
the recruitment index page of the Chinese home page (created when missing); when the site has
an English home page, an English translation is generated alongside.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext as _

from wagtail.models import Locale, Page

from cms.models import HomePage

from ..choices import EducationLevel, HometownRestriction, RoundStage
from ..models import Post, RecruitmentIndexPage, RecruitmentRound, RoundAnnouncementPage
from ..selectors.posts import jobs_public_cache_invalidate
from .rounds import _require_manager

SOURCE_LANGUAGE = "zh-hans"
TRANSLATION_LANGUAGE = "en"


def _date(value) -> str:
    if value is None:
        return _("to be announced")
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
        return formats.date_format(value, "DATETIME_FORMAT")
    return formats.date_format(value, "DATE_FORMAT")


def _yuan(fen: int | None) -> str:
    yuan = (fen or 0) / 100
    return f"{yuan:,.0f}" if yuan == int(yuan) else f"{yuan:,.2f}"


def hr_office_name(round: RecruitmentRound) -> str:
    """The name of the HR office that runs the round (人力资源和社会保障局 of its region)."""
    return _("%(region)s Human Resources and Social Security Bureau") % {
        "region": round.region.name
    }


def _link(language: str, name: str, *args) -> str:
    with translation.override(language):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            return ""


def announcement_title(round: RecruitmentRound) -> str:
    return _("Announcement: %(round)s") % {"round": round.name}


def announcement_body(round: RecruitmentRound, *, language: str) -> str:
    """Rich text (HTML) of the announcement in the active language."""
    totals = Post.objects.filter(round=round).aggregate(
        posts=Count("pk"),
        headcount=Sum("headcount"),
        min_fen=Min("monthly_subsidy_fen"),
        max_fen=Max("monthly_subsidy_fen"),
        min_term=Min("service_term_months"),
        max_term=Max("service_term_months"),
    )
    educations = set(Post.objects.filter(round=round).values_list("min_education", flat=True))
    hometowns = set(Post.objects.filter(round=round).values_list("hometown_restriction", flat=True))
    townships = Post.objects.filter(round=round).values("village__parent_id").distinct().count()
    parts = [
        format_html(
            "<p>{}</p>",
            _(
                "%(office)s is recruiting %(headcount)d full-time operators for %(posts)d village "
                "(community) public-service stations in %(townships)d townships of %(region)s. "
                "University graduates are welcome to return to their home villages."
            )
            % {
                "office": hr_office_name(round),
                "headcount": totals["headcount"] or 0,
                "posts": totals["posts"] or 0,
                "townships": townships,
                "region": round.region.name,
            },
        ),
        format_html("<h2>{}</h2>", _("Timetable")),
    ]
    schedule = [
        (_("Announcement"), _date(round.announce_on)),
        (_("Applications open"), _date(round.applications_open_at)),
        (_("Applications close"), _date(round.applications_close_at)),
        (_("Eligibility review ends"), _date(round.eligibility_review_until)),
        (_("Written exam and interview scores entered by"), _date(round.scores_until)),
        (_("Matching"), _date(round.matching_on)),
        (
            _("Offers"),
            _("reply within %(days)d days of the offer") % {"days": round.offer_reply_days},
        ),
        (
            _("Public notice"),
            _("%(days)d working days") % {"days": round.notice_working_days},
        ),
        (_("Onboarding"), _date(round.onboarding_on)),
    ]
    parts.append(
        format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li><b>{}</b>: {}</li>", ((str(a), str(b)) for a, b in schedule)),
        )
    )
    parts.append(format_html("<h2>{}</h2>", _("Posts and requirements")))
    lowest = min(educations, key=lambda e: list(EducationLevel.values).index(e), default=None)
    requirements = []
    if lowest:
        requirements.append(
            _("Minimum education: %(level)s or above (see each post).")
            % {"level": EducationLevel(lowest).label}
        )
    if hometowns - {HometownRestriction.NONE}:
        requirements.append(
            _("Some posts require a hometown (household registration) in %(region)s or its city.")
            % {"region": round.region.name}
        )
    else:
        requirements.append(_("No hometown restriction."))
    if totals["max_fen"]:
        if totals["min_fen"] == totals["max_fen"]:
            requirements.append(
                _("Monthly subsidy: %(amount)s yuan.") % {"amount": _yuan(totals["max_fen"])}
            )
        else:
            requirements.append(
                _("Monthly subsidy: %(low)s to %(high)s yuan.")
                % {"low": _yuan(totals["min_fen"]), "high": _yuan(totals["max_fen"])}
            )
    if totals["max_term"]:
        requirements.append(
            _("Service term: %(months)d months.") % {"months": totals["max_term"]}
            if totals["min_term"] == totals["max_term"]
            else _("Service term: %(low)d to %(high)d months.")
            % {"low": totals["min_term"], "high": totals["max_term"]}
        )
    requirements.append(
        _(
            "Age limits by degree level, full-time degree, majors and dialects are given on each post's page."
        )
    )
    parts.append(
        format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((r,) for r in requirements))
        )
    )
    posts_url = _link(language, "jobs:post_list")
    if posts_url:
        parts.append(
            format_html(
                '<p><a href="{}?round={}">{}</a></p>',
                posts_url,
                round.pk,
                _("See all %(posts)d posts of this round") % {"posts": totals["posts"] or 0},
            )
        )
    parts.append(format_html("<h2>{}</h2>", _("How to apply")))
    parts.append(
        format_html(
            "<p>{}</p>",
            _(
                "Register on this platform, fill in your graduate profile once, then apply to this round "
                "online with up to %(max)d posts in order of preference. Final scores weigh the written "
                "exam %(written)s%% and the interview %(interview)s%%; policy bonuses are added as "
                "published with the round."
            )
            % {
                "max": round.max_preferences,
                "written": f"{round.weight_written.normalize():f}",
                "interview": f"{round.weight_interview.normalize():f}",
            },
        )
    )
    apply_url = _link(language, "jobs:apply", round.pk) or _link(
        language, "jobs:round_detail", round.pk
    )
    if apply_url:
        parts.append(format_html('<p><a href="{}">{}</a></p>', apply_url, _("Apply online")))
    if round.objection_contact:
        parts.append(
            format_html(
                "<p>{}</p>",
                _("Enquiries and objections: %(contact)s") % {"contact": round.objection_contact},
            )
        )
    return "".join(str(p) for p in parts)


def recruitment_index_under(
    home: Page, locale: Locale, source_index: RecruitmentIndexPage | None
) -> RecruitmentIndexPage:
    """The recruitment index page under `home`, created (or translated from `source_index`) if missing."""
    index = RecruitmentIndexPage.objects.child_of(home).first()
    if index is not None:
        return index
    if source_index is not None:
        index = source_index.copy_for_translation(locale).specific
        with translation.override(locale.language_code):
            index.title = _("Recruitment announcements")
        index.save_revision().publish()
        return index
    with translation.override(locale.language_code):
        index = RecruitmentIndexPage(title=_("Recruitment announcements"), slug="recruitment")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def _write(
    page: RoundAnnouncementPage, round: RecruitmentRound, *, language: str, actor, publish: bool
):
    with translation.override(language):
        page.title = announcement_title(round)[:255]
        page.body = announcement_body(round, language=language)
        page.search_description = escape(round.name)[:255]
    page.round = round
    revision = page.save_revision(user=actor)
    if publish:
        # The service has checked the officer's scope; Wagtail page permissions are for editors.
        revision.publish(user=actor, skip_permission_checks=True)
    return page


@transaction.atomic
def round_announcement_generate(
    *, round: RecruitmentRound, actor, publish: bool = True, replace: bool = False
) -> RoundAnnouncementPage:
    """Create or rewrite the round's announcement page (and its English translation); publish it.

    Rewriting an existing announcement replaces whatever editors changed in it, so it needs
    `replace`; the earlier wording stays in the page's revision history.
    """
    _require_manager(actor, round=round)
    if round.stage == RoundStage.CLOSED:
        raise ValidationError(_("This round is closed and can no longer be changed."))
    if not replace and RoundAnnouncementPage.objects.filter(round=round).exists():
        raise ValidationError(
            _(
                "This round already has an announcement, which editors may have changed. Tick "
                "“Replace its wording” to generate it again; the earlier wording stays in the "
                "page's history in the content admin."
            ),
            code="exists",
        )
    zh = Locale.objects.filter(language_code=SOURCE_LANGUAGE).first()
    home = HomePage.objects.filter(locale=zh).first() if zh else None
    if home is None:
        raise ValidationError(
            _("The site has no Chinese home page to publish the announcement under.")
        )
    index = recruitment_index_under(home, zh, None)
    page = RoundAnnouncementPage.objects.filter(round=round, locale=zh).first()
    if page is None:
        page = RoundAnnouncementPage(slug=f"round-{round.pk}", locale=zh, round=round)
        with translation.override(SOURCE_LANGUAGE):
            page.title = announcement_title(round)[:255]
        page.live = False
        index.add_child(instance=page)
    _write(page, round, language=SOURCE_LANGUAGE, actor=actor, publish=publish)

    en = Locale.objects.filter(language_code=TRANSLATION_LANGUAGE).first()
    home_en = home.get_translations().filter(locale=en).first() if en else None
    if home_en is not None:
        recruitment_index_under(home_en, en, index)
        translated = RoundAnnouncementPage.objects.filter(
            translation_key=page.translation_key, locale=en
        ).first()
        if translated is None:
            translated = page.copy_for_translation(en).specific
        _write(translated, round, language=TRANSLATION_LANGUAGE, actor=actor, publish=publish)
    transaction.on_commit(jobs_public_cache_invalidate)
    page.refresh_from_db()
    return page
