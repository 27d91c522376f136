"""The public notice (公示) of the people to be hired: a Wagtail page with masked names.

`notice_generate` takes a snapshot of the round's accepted offers that are not yet on a notice
— masked name (张*三), village, township, post title; never an ID number or anything else —
into a PublicNoticePage under the recruitment index page, published at once. The page itself
shows the list only from `opens_on` (its template says "not yet open" before), with the end
date and the contact for objections. The applications move ACCEPTED → PUBLIC_NOTICE (through
`application_transition`); their placements start in PlacementStatus.PUBLIC_NOTICE when the
offer is accepted, so they need no change here. A later notice (after backfill)
lists only the people added since. When the site has an English home page the notice is
published in English too (title and text translated, the same list).

The end date defaults to `notice_working_days` working days counted from the opening day
(Monday to Friday; public holidays are NOT taken into account — around a holiday set the end
date by hand).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..choices import ApplicationStatus, OfferStatus, RoundStage
from ..models import Offer, PublicNoticePage, RecruitmentIndexPage, RecruitmentRound
from .status import application_transition

NOTICE_STAGES = frozenset({RoundStage.OFFERS, RoundStage.PUBLIC_NOTICE, RoundStage.ONBOARDING})


def name_mask(name: str) -> str:
    """张三丰 → 张*丰, 王五 → 王*, 欧阳小明 → 欧*明: the first and last characters around one star.

    One star whatever the length, so the mask does not tell how long the name is. Names in
    Latin letters are masked the same way on the whole name ("John Smith" → "J*h").
    """
    name = "".join((name or "").split()) if not _is_ascii(name) else " ".join((name or "").split())
    if not name:
        return ""
    if len(name) <= 2:
        return f"{name[0]}*"
    return f"{name[0]}*{name[-1]}"


def _is_ascii(value: str | None) -> bool:
    return (value or "").isascii()


def working_days_end(start: datetime.date, days: int) -> datetime.date:
    """The last day of a period of `days` working days (Mon–Fri) starting on `start`.

    The opening day counts when it is a working day. Holidays are not known here.
    """
    days = max(1, days)
    day = start
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    counted = 1
    while counted < days:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            counted += 1
    return day


def recruitment_index_page() -> RecruitmentIndexPage:
    """The recruitment index page under the Chinese home page, created if missing.

    The announcement service's lookup, so that announcements and notices share one page.
    """
    from cms.models import HomePage

    from .announcements import recruitment_index_under

    home = HomePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    if home is None:
        raise ValidationError(_("The site has no home page to publish under."), code="no_home")
    return recruitment_index_under(home, home.locale, None)


def notice_candidates(round_: RecruitmentRound):
    """Accepted offers of the round whose applicants are not yet on a notice."""
    return (
        Offer.objects.filter(
            post__round=round_,
            status=OfferStatus.ACCEPTED,
            application__status=ApplicationStatus.ACCEPTED,
        )
        .select_related(
            "post__village__parent",
            "application__round__region",
            "application__applicant__graduate_profile",
        )
        .order_by("post__region_path", "application__applicant__graduate_profile__real_name")
    )


def notice_entry(offer: Offer) -> dict:
    """What the notice shows of one person: masked name, village, township, post. Nothing else."""
    applicant = offer.application.applicant
    profile = getattr(applicant, "graduate_profile", None)
    name = profile.real_name if profile is not None else applicant.get_full_name()
    village = offer.post.village
    return {
        "name": name_mask(name),
        "village": village.name,
        "township": village.parent.name if village.parent_id else "",
        "post": offer.post.title,
    }


def _intro(*, opens_on, ends_on, contact: str, count: int) -> str:
    text = _(
        "The following %(count)d people are proposed for appointment as operators of village "
        "public-service stations. The notice runs from %(opens)s to %(ends)s. Anyone who objects "
        "may contact %(contact)s during the notice period, in writing and under their real name."
    ) % {
        "count": count,
        "opens": opens_on.isoformat(),
        "ends": ends_on.isoformat(),
        "contact": contact,
    }
    return f"<p>{escape(text)}</p>"


def _title_and_intro(round_, *, earlier: int, opens_on, ends_on, contact: str, count: int):
    """The notice's title and opening paragraph in the active language."""
    if earlier:
        title = _("Supplementary public notice %(n)d: %(round)s") % {
            "n": earlier,
            "round": round_.name,
        }
    else:
        title = _("Public notice of the people to be hired: %(round)s") % {"round": round_.name}
    return title[:255], _intro(opens_on=opens_on, ends_on=ends_on, contact=contact, count=count)


def _publish_english(page, index, *, round_, earlier: int, actor) -> None:
    """The notice's English translation, when the site has an English home page.

    The list itself (masked names, places, post titles) is the same snapshot in both languages.
    """
    from wagtail.models import Locale

    from cms.models import HomePage

    from .announcements import recruitment_index_under

    english = Locale.objects.filter(language_code="en").first()
    home = HomePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    home_en = home.get_translations().filter(locale=english).first() if english else None
    if home_en is None:
        return
    recruitment_index_under(home_en, english, index)
    translated = page.copy_for_translation(english).specific
    with translation.override("en"):
        translated.title, translated.intro = _title_and_intro(
            round_, earlier=earlier, opens_on=page.opens_on, ends_on=page.ends_on,
            contact=page.objection_contact, count=len(page.entries),
        )  # fmt: skip
    translated.save_revision(user=actor).publish(user=actor, skip_permission_checks=True)


def notice_generate(
    *,
    round_: RecruitmentRound,
    actor,
    opens_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    objection_contact: str = "",
    request=None,
) -> PublicNoticePage:
    """Publish the notice of the round's accepted offers not yet on one; see the module text."""
    if round_.stage not in NOTICE_STAGES:
        raise ValidationError(
            _(
                "A public notice can be generated once offers have been made; this round is at "
                "the stage “%(stage)s”."
            )
            % {"stage": round_.get_stage_display()},
            code="stage",
        )
    opens_on = opens_on or timezone.localdate()
    ends_on = ends_on or working_days_end(opens_on, round_.notice_working_days)
    contact = " ".join((objection_contact or round_.objection_contact or "").split())
    errors = {}
    if ends_on < opens_on:
        errors["ends_on"] = _("The notice cannot end before it opens.")
    if not contact:
        errors["objection_contact"] = _(
            "Give the contact for objections (office, telephone or address)."
        )
    elif len(contact) > 200:
        errors["objection_contact"] = _("At most %(limit)d characters.") % {"limit": 200}
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        offers = list(notice_candidates(round_).select_for_update(of=("self",)))
        if not offers:
            raise ValidationError(
                _("Nobody has accepted an offer since the last notice: there is no one to list."),
                code="empty",
            )
        index = recruitment_index_page()
        earlier = PublicNoticePage.objects.filter(round=round_).count()
        with translation.override(settings.LANGUAGE_CODE):
            title, intro = _title_and_intro(
                round_, earlier=earlier, opens_on=opens_on, ends_on=ends_on, contact=contact,
                count=len(offers),
            )  # fmt: skip
        page = PublicNoticePage(
            title=title,
            slug=_unique_slug(index, f"notice-round-{round_.pk}-{earlier + 1}"),
            locale=index.locale,
            round=round_,
            opens_on=opens_on,
            ends_on=ends_on,
            objection_contact=contact,
            intro=intro,
            entries=[notice_entry(offer) for offer in offers],
        )
        index.add_child(instance=page)
        # The caller checked the officer's scope; Wagtail page permissions are for editors.
        page.save_revision(user=actor).publish(user=actor, skip_permission_checks=True)
        _publish_english(page, index, round_=round_, earlier=earlier, actor=actor)
        for offer in offers:
            application_transition(
                application=offer.application,
                to_status=ApplicationStatus.PUBLIC_NOTICE,
                actor=actor,
                request=request,
            )
    return page


def _unique_slug(parent, base: str) -> str:
    base = slugify(base) or "notice"
    slug = base
    n = 1
    while parent.get_children().filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
