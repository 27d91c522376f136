"""The jobs demo for `seed_demo`: an open round in 梅县区, the demo graduate's application, and a
closed round in 天河区 with its published public notice.

Rows are written with the models where a service would send e-mails or insist on today's
stage; the demo graduate's application goes through `application_submit` (so its eligibility
is really checked), the announcement through `round_announcement_generate` and the notice
through `notice_generate`. Idempotent: what exists is found by its natural key (round name and
region, post village, user e-mail) and left as it is.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wagtail.models import Locale

from allauth.account.models import EmailAddress

from accounts.choices import Role
from accounts.models import User
from accounts.services import role_grant
from regions.models import Region
from training.models import CoursePage, LearningPathPage

from ..choices import (
    ApplicationStatus,
    OfferStatus,
    PlacementStatus,
    PoliticalStatus,
    RoundStage,
)
from ..models import (
    Application,
    ApplicationEvent,
    Major,
    Offer,
    Placement,
    Post,
    Preference,
    PublicNoticePage,
    RecruitmentRound,
    RoundAnnouncementPage,
    RoundTransition,
    University,
)
from ..selectors.posts import jobs_public_cache_invalidate
from ..services.announcements import round_announcement_generate
from ..services.applications import application_submit
from ..services.notices import notice_generate, working_days_end
from ..services.reference import reference_data_import
from . import content
from .people import DEMO_SEQUENCES, consents_give, person_name, profile_upsert

MEIXIAN, TIANHE = "441403", "440106"
GRADUATE_EMAIL = "graduate@demo.gd.cn"
APPLICANT_DOMAIN = "jobs.demo.gd.cn"  # not @demo.gd.cn: those are the sign-in demo accounts


@dataclass(frozen=True)
class JobsDemoResult:
    open_round: RecruitmentRound
    open_posts: int
    open_applications: int
    closed_round: RecruitmentRound
    placements: int
    notice: PublicNoticePage


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _round_name(region: Region, year: int) -> str:
    return f"{region.name}{year}年村级公共服务站专职操作员招聘"


def _first_village(township: Region) -> Region:
    villages = Region.objects.filter(parent=township, level="village").order_by("code")
    return villages.filter(name__contains="村").first() or villages.first()


def _graduate_user(email: str, full_name: str, home: Region) -> User:
    """A demo applicant who cannot sign in (unusable password), with the graduate role."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, full_name=full_name, home_region=home, is_demo=True)
        user.set_unusable_password()
        user.save()
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    role_grant(user=user, role=Role.GRADUATE)
    return user


def _transitions(round_: RecruitmentRound, steps: list[tuple[str, datetime.datetime]], actor):
    """Record the stages the round went through (from draft), once."""
    if round_.transitions.exists():
        return
    previous = RoundStage.DRAFT
    for stage, when in steps:
        RoundTransition.objects.create(
            round=round_, from_stage=previous, to_stage=stage, actor=actor, at=when
        )
        previous = stage


# --- the open round in 梅县区 --------------------------------------------------------------------


def _open_round(meixian: Region, officer: User | None) -> RecruitmentRound:
    today = timezone.localdate()
    close = today + datetime.timedelta(days=21)
    onboarding = close + datetime.timedelta(days=70)
    name = _round_name(meixian, onboarding.year)
    round_ = RecruitmentRound.objects.filter(region=meixian, name=name).first()
    if round_ is not None:
        return round_
    announce = today - datetime.timedelta(days=10)
    opens = _at(today - datetime.timedelta(days=5), 9)
    round_ = RecruitmentRound.objects.create(
        name=name,
        year=onboarding.year,
        region=meixian,
        stage=RoundStage.APPLICATIONS_OPEN,
        announce_on=announce,
        applications_open_at=opens,
        applications_close_at=_at(close, 17, 30),
        eligibility_review_until=close + datetime.timedelta(days=7),
        scores_until=close + datetime.timedelta(days=28),
        matching_on=close + datetime.timedelta(days=35),
        onboarding_on=onboarding,
        age_reference_date=close,
        max_preferences=5,
        weight_written=Decimal("50"),
        weight_interview=Decimal("50"),
        preservice_path=LearningPathPage.objects.filter(
            locale__language_code=settings.LANGUAGE_CODE, is_pre_service_track=True
        ).first(),
        objection_contact=content.ROUND_OBJECTION_CONTACT,
        created_by=officer,
        created_at=_at(announce, 9) - datetime.timedelta(days=3),
    )
    round_.in_service_courses.set(
        CoursePage.objects.live()
        .filter(locale__language_code=settings.LANGUAGE_CODE, for_operators=True)
        .order_by("path")[:3]
    )
    _transitions(
        round_,
        [(RoundStage.ANNOUNCED, _at(announce, 9)), (RoundStage.APPLICATIONS_OPEN, opens)],
        officer,
    )
    return round_


def _open_posts(round_: RecruitmentRound, meixian: Region) -> list[Post]:
    townships = {
        r.name: r for r in Region.objects.filter(parent=meixian, level="township").order_by("code")
    }
    posts = []
    for spec in content.OPEN_POSTS:
        village = _first_village(townships[spec.township])
        post = Post.objects.filter(round=round_, village=village).first()
        if post is None:
            post = Post.objects.create(
                round=round_,
                village=village,
                headcount=spec.headcount,
                min_education=spec.min_education,
                full_time_required=spec.full_time_required,
                max_age_by_level=spec.max_age_by_level,
                hometown_restriction=spec.hometown_restriction,
                dialects=list(spec.dialects),
                monthly_subsidy_fen=spec.subsidy_yuan * 100,
                service_term_months=36,
                description=spec.description,
            )
            if spec.major_classes:
                post.majors.set(Major.objects.filter(class_code__in=spec.major_classes))
        posts.append(post)
    return posts


def _demo_graduate(meixian: Region) -> User:
    """The sign-in demo graduate (accounts.demo) with a complete profile and consents."""
    user = User.objects.get(email=GRADUATE_EMAIL)
    home = user.home_region
    if home is None or home.level != "village" or not home.path.startswith(meixian.path):
        home = Region.objects.filter(path__startswith=meixian.path, level="village").order_by(
            "code"
        )[0]
    profile_upsert(
        user=user,
        id_region_code=MEIXIAN,
        birth_date=datetime.date(2002, 3, 14),
        sequence=DEMO_SEQUENCES[1],
        real_name=user.full_name or "刘思源",
        phone="13823450991",
        hometown=home,
        university=University.objects.get(name="嘉应学院"),
        education_level="bachelor",
        full_time=True,
        major=Major.objects.get(code="080901"),
        graduation_year=timezone.localdate().year,
        political_status=PoliticalStatus.CYL_MEMBER,
        dialects=["hakka", "cantonese"],
    )
    consents_give(user=user, when=timezone.now() - datetime.timedelta(days=4))
    return user


# Other applicants of the open round, for the HR screens: (number, township of the hometown,
# birth date, education, major code, university, ranked post indexes, review outcome).
OPEN_APPLICANTS = [
    (1, "程江镇", (2001, 7, 2), "bachelor", "120402", "嘉应学院", (5, 0, 2), "eligible"),
    (2, "城东镇", (2002, 1, 19), "bachelor", "080902", "广东工业大学", (1, 8, 0), "eligible"),
    (3, "丙村镇", (2003, 5, 8), "junior_college", "090101", "广东农工商职业技术学院", (3, 4), ""),
    (4, "雁洋镇", (2000, 11, 23), "bachelor", "120801", "嘉应学院", (10, 4, 11), "eligible"),
    (5, "松口镇", (1999, 9, 30), "master", "030302", "华南师范大学", (9, 2, 0, 8), ""),
    (6, "白渡镇", (2002, 12, 1), "bachelor", "050101", "韩山师范学院", (7, 6, 8), ""),
    (7, "松源镇", (2001, 4, 14), "junior_college", "120202", "梅州职业技术学院", (8, 2, 11), "rejected"),
    (8, "石扇镇", (2000, 6, 6), "bachelor", "030301", "嘉应学院", (0, 2, 6, 8, 11), ""),
    (9, "畲江镇", (2003, 2, 27), "junior_college", "120801", "广东科学技术职业学院", (10, 8), ""),
    (10, "水车镇", (2001, 10, 10), "bachelor", "090102", "华南农业大学", (3, 11, 2), "eligible"),
    (11, "梅西镇", (2002, 8, 17), "bachelor", "120401", "嘉应学院", (5, 2, 0), ""),
    (12, "南口镇", (2000, 3, 3), "bachelor", "080903", "嘉应学院", (1, 6), ""),
]  # fmt: skip
REJECT_REASON = "学历证书编号与学信网记录不一致，请补充上传学信网学历认证报告后再申请。"


def _open_applicants(round_: RecruitmentRound, posts: list[Post], meixian: Region, officer):
    townships = {
        r.name: r for r in Region.objects.filter(parent=meixian, level="township").order_by("code")
    }
    universities = {u.name: u for u in University.objects.all()}
    for number, township, birth, level, major, university, choices, outcome in OPEN_APPLICANTS:
        name = person_name(number + 7)
        home = _first_village(townships[township])
        user = _graduate_user(f"applicant.{number:02d}@{APPLICANT_DOMAIN}", name, home)
        profile_upsert(
            user=user,
            id_region_code=MEIXIAN,
            birth_date=datetime.date(*birth),
            sequence=DEMO_SEQUENCES[number % len(DEMO_SEQUENCES)],
            real_name=name,
            phone=f"1371234{number:04d}",
            hometown=home,
            university=universities.get(university) or universities["嘉应学院"],
            education_level=level,
            full_time=True,
            major=Major.objects.get(code=major),
            graduation_year=timezone.localdate().year - number % 2,
            political_status=PoliticalStatus.CYL_MEMBER if number % 3 else PoliticalStatus.NONE,
            dialects=["hakka"],
        )
        submitted = timezone.now() - datetime.timedelta(days=4, hours=-number * 5)
        consents_give(user=user, when=submitted - datetime.timedelta(minutes=20))
        if Application.objects.filter(round=round_, applicant=user).exists():
            continue
        status = {"eligible": ApplicationStatus.ELIGIBLE, "rejected": ApplicationStatus.REJECTED}
        application = Application.objects.create(
            round=round_,
            applicant=user,
            status=status.get(outcome, ApplicationStatus.SUBMITTED),
            submitted_at=submitted,
            eligibility_reason=REJECT_REASON if outcome == "rejected" else "",
            reviewed_by=officer if outcome else None,
            reviewed_at=submitted + datetime.timedelta(days=1) if outcome else None,
        )
        Preference.objects.bulk_create(
            Preference(application=application, post=posts[i], rank=rank)
            for rank, i in enumerate(choices, start=1)
        )
        ApplicationEvent.objects.create(
            application=application,
            to_status=ApplicationStatus.SUBMITTED,
            actor=user,
            at=submitted,
        )
        if outcome:
            ApplicationEvent.objects.create(
                application=application,
                from_status=ApplicationStatus.SUBMITTED,
                to_status=application.status,
                actor=officer,
                reason=application.eligibility_reason,
                at=application.reviewed_at,
            )


def _demo_application(round_: RecruitmentRound, posts: list[Post], user: User) -> Application:
    application = Application.objects.filter(round=round_, applicant=user).first()
    if application is None:
        application = application_submit(
            user=user,
            round_=round_,
            post_ids=[posts[i].pk for i in content.DEMO_GRADUATE_CHOICES],
        )
    return application


# --- the closed round in 天河区 -------------------------------------------------------------------

# (number, birth date, education, major, university, hometown community index, placed?)
TIANHE_APPLICANTS = [
    (21, (1999, 5, 12), "bachelor", "120402", "中山大学", 0, True),
    (22, (2000, 9, 3), "master", "120401", "暨南大学", 1, True),
    (23, (2001, 1, 28), "bachelor", "080902", "华南理工大学", 2, True),
    (24, (2000, 12, 9), "bachelor", "030302", "广州大学", 3, True),
    (25, (2002, 7, 21), "junior_college", "120801", "广州番禺职业技术学院", 4, True),
    (26, (1998, 4, 4), "bachelor", "050101", "华南师范大学", 5, True),
    (27, (2001, 8, 8), "bachelor", "120202", "广东财经大学", 0, False),
    (28, (2002, 3, 30), "junior_college", "120204", "广东轻工职业技术学院", 2, False),
]
TIANHE_TIMELINE = [  # (status, days after the applications opened)
    (ApplicationStatus.SUBMITTED, 3),
    (ApplicationStatus.ELIGIBLE, 25),
    (ApplicationStatus.SCORED, 45),
    (ApplicationStatus.MATCHED, 55),
    (ApplicationStatus.OFFERED, 57),
    (ApplicationStatus.ACCEPTED, 60),
]


def _closed_round(tianhe: Region, officer: User | None) -> tuple[RecruitmentRound, bool]:
    today = timezone.localdate()
    opened = today - datetime.timedelta(days=260)
    onboarding = opened + datetime.timedelta(days=80)
    name = _round_name(tianhe, onboarding.year)
    round_ = RecruitmentRound.objects.filter(region=tianhe, name=name).first()
    if round_ is not None:
        return round_, False
    round_ = RecruitmentRound.objects.create(
        name=name,
        year=onboarding.year,
        region=tianhe,
        stage=RoundStage.OFFERS,  # closed once the notice is out (below)
        announce_on=opened - datetime.timedelta(days=7),
        applications_open_at=_at(opened, 9),
        applications_close_at=_at(opened + datetime.timedelta(days=20), 17, 30),
        eligibility_review_until=opened + datetime.timedelta(days=27),
        scores_until=opened + datetime.timedelta(days=47),
        matching_on=opened + datetime.timedelta(days=55),
        onboarding_on=onboarding,
        max_preferences=3,
        objection_contact=content.TIANHE_OBJECTION_CONTACT,
        created_by=officer,
        created_at=_at(opened - datetime.timedelta(days=10), 10),
    )
    return round_, True


def _closed_round_people(round_: RecruitmentRound, tianhe: Region, officer) -> int:
    communities = [
        _first_village(t)
        for t in Region.objects.filter(parent=tianhe, level="township").order_by("code")[:6]
    ]
    posts = [
        Post.objects.create(
            round=round_,
            village=village,
            min_education="junior_college",
            monthly_subsidy_fen=520_000,
            service_term_months=36,
            description="负责社区党群服务中心政务服务窗口，代办社保、医保、民政、残联等事项。",
        )
        for village in communities
    ]
    universities = {u.name: u for u in University.objects.all()}
    opened = timezone.localtime(round_.applications_open_at)
    placed = 0
    for number, birth, level, major, university, home_index, gets_post in TIANHE_APPLICANTS:
        name = person_name(number * 3)
        user = _graduate_user(
            f"applicant.{number:02d}@{APPLICANT_DOMAIN}", name, communities[home_index]
        )
        profile_upsert(
            user=user,
            id_region_code=TIANHE,
            birth_date=datetime.date(*birth),
            sequence=DEMO_SEQUENCES[number % len(DEMO_SEQUENCES)],
            real_name=name,
            phone=f"1592000{number:04d}",
            hometown=communities[home_index],
            university=universities.get(university) or universities["中山大学"],
            education_level=level,
            full_time=True,
            major=Major.objects.get(code=major),
            graduation_year=opened.year,
            political_status=PoliticalStatus.CPC_MEMBER
            if number % 2
            else PoliticalStatus.CYL_MEMBER,
            dialects=["cantonese"],
        )
        consents_give(user=user, when=opened)
        steps = (
            TIANHE_TIMELINE
            if gets_post
            else [*TIANHE_TIMELINE[:3], (ApplicationStatus.UNMATCHED, 55)]
        )
        written = Decimal(68 + (number * 7) % 25)
        application = Application.objects.create(
            round=round_,
            applicant=user,
            status=steps[-1][0],
            written_score=written,
            interview_score=Decimal(72 + (number * 5) % 20) + Decimal("0.5"),
            reviewed_by=officer,
            reviewed_at=opened + datetime.timedelta(days=25),
            submitted_at=opened + datetime.timedelta(days=3, hours=number),
        )
        ranked = [posts[home_index], *[p for p in posts if p != posts[home_index]][:2]]
        Preference.objects.bulk_create(
            Preference(application=application, post=post, rank=rank)
            for rank, post in enumerate(ranked, start=1)
        )
        previous = ""
        for status, days in steps:
            ApplicationEvent.objects.create(
                application=application,
                from_status=previous,
                to_status=status,
                actor=user
                if status in (ApplicationStatus.SUBMITTED, ApplicationStatus.ACCEPTED)
                else officer,
                at=opened + datetime.timedelta(days=days, hours=number),
            )
            previous = status
        if not gets_post:
            continue
        offer = Offer.objects.create(
            application=application,
            post=ranked[0],
            status=OfferStatus.ACCEPTED,
            created_at=opened + datetime.timedelta(days=57),
            reply_deadline=opened + datetime.timedelta(days=64),
            responded_at=opened + datetime.timedelta(days=60, hours=number),
        )
        Placement.objects.create(
            offer=offer,
            user=user,
            post=ranked[0],
            village=ranked[0].village,
            status=PlacementStatus.PUBLIC_NOTICE,
            start_date=round_.onboarding_on,
            term_end=round_.onboarding_on.replace(year=round_.onboarding_on.year + 3),
            created_at=offer.responded_at,
        )
        role_grant(user=user, role=Role.OPERATOR)
        placed += 1
    return placed


def _publish_notice(round_: RecruitmentRound, officer) -> PublicNoticePage:
    """The notice through D's service, dated in the past; then the round runs to its end."""
    opens = timezone.localdate(round_.applications_open_at) + datetime.timedelta(days=63)
    # actor None: the demo's notice is published by the system, months ago; the office's
    # actions are on the round's transitions.
    notice = notice_generate(
        round_=round_,
        actor=None,
        opens_on=opens,
        ends_on=working_days_end(opens, round_.notice_working_days),
    )
    onboarding = _at(round_.onboarding_on, 9)
    for application in Application.objects.filter(
        round=round_, status=ApplicationStatus.PUBLIC_NOTICE
    ):
        for status, when in (
            (ApplicationStatus.ONBOARDED, onboarding),
            (ApplicationStatus.IN_SERVICE, onboarding + datetime.timedelta(days=14)),
        ):
            ApplicationEvent.objects.create(
                application=application,
                from_status=application.status,
                to_status=status,
                actor=officer,
                at=when,
            )
            application.status = status
        application.save(update_fields=["status", "updated_at"])
    Placement.objects.filter(post__round=round_).update(status=PlacementStatus.IN_SERVICE)
    opened = timezone.localtime(round_.applications_open_at)
    day = datetime.timedelta(days=1)
    _transitions(
        round_,
        [
            (RoundStage.ANNOUNCED, _at(round_.announce_on, 9)),
            (RoundStage.APPLICATIONS_OPEN, opened),
            (RoundStage.ELIGIBILITY_REVIEW, round_.applications_close_at),
            (RoundStage.SCORING, _at(round_.eligibility_review_until, 18) + day),
            (RoundStage.MATCHING, _at(round_.matching_on, 9)),
            (RoundStage.OFFERS, _at(round_.matching_on, 15) + 2 * day),
            (RoundStage.PUBLIC_NOTICE, _at(opens, 9)),
            (RoundStage.ONBOARDING, onboarding),
            (RoundStage.CLOSED, onboarding + 30 * day),
        ],
        officer,
    )
    round_.stage = RoundStage.CLOSED
    round_.save(update_fields=["stage"])
    _translate_notice(notice)
    return notice


def _translate_notice(notice: PublicNoticePage) -> None:
    """An English version of the notice (and of the index above it): names stay as published."""
    en, _created = Locale.objects.get_or_create(language_code="en")
    index = notice.get_parent().specific
    if index.get_translation_or_none(en) is None:
        english_index = index.copy_for_translation(en, copy_parents=True).specific
        english_index.title = "Recruitment"
        english_index.save_revision().publish()
    if notice.get_translation_or_none(en) is not None:
        return
    translation = notice.copy_for_translation(en).specific
    translation.title = (
        f"Public notice of the people to be hired: Tianhe District {notice.round.year}, "
        "village public-service-station operators"
    )
    translation.intro = content.NOTICE_INTRO["en"]
    translation.save_revision().publish()


# --- all of it ------------------------------------------------------------------------------------


@transaction.atomic
def seed_demo_jobs() -> JobsDemoResult:
    """Create what is missing of the jobs demo. Needs the regions 梅县区 and 天河区 down to
    villages and the demo accounts (accounts.demo.seed_demo_accounts)."""
    if Major.objects.count() < 800 or not University.objects.exists():
        reference_data_import()
    meixian = Region.objects.get(code=MEIXIAN)
    tianhe = Region.objects.get(code=TIANHE)
    meixian_officer = User.objects.filter(email="hr.meixian@demo.gd.cn").first()
    tianhe_officer = User.objects.filter(email="hr.tianhe@demo.gd.cn").first()

    open_round = _open_round(meixian, meixian_officer)
    posts = _open_posts(open_round, meixian)
    if (
        meixian_officer is not None
        and not RoundAnnouncementPage.objects.filter(round=open_round).exists()
    ):
        round_announcement_generate(round=open_round, actor=meixian_officer)
    _demo_application(open_round, posts, _demo_graduate(meixian))
    _open_applicants(open_round, posts, meixian, meixian_officer)

    closed_round, new = _closed_round(tianhe, tianhe_officer)
    if new:
        _closed_round_people(closed_round, tianhe, tianhe_officer)
        notice = _publish_notice(closed_round, tianhe_officer)
    else:
        notice = PublicNoticePage.objects.filter(round=closed_round).order_by("pk").first()
    # Written in bulk, past the services that drop the public search cache.
    jobs_public_cache_invalidate()
    return JobsDemoResult(
        open_round=open_round,
        open_posts=open_round.posts.count(),
        open_applications=open_round.applications.count(),
        closed_round=closed_round,
        placements=Placement.objects.filter(post__round=closed_round).count(),
        notice=notice,
    )
