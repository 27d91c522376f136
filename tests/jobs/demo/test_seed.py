"""`seed_demo`'s jobs side: the open 梅县区 round, the demo graduate's profile and application,
the closed 天河区 round with its public notice; and the province-scale seeder at a small size."""

import io
import json
import re
from collections import Counter

from django.conf import settings as django_settings
from django.contrib.auth.hashers import is_password_usable
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.models import Locale, Page

import pytest

from accounts.models import User
from jobs.choices import (
    ApplicationStatus,
    ConsentKind,
    HometownRestriction,
    PlacementStatus,
    RoundStage,
)
from jobs.crypto import personal_decrypt, personal_hash
from jobs.demo import seed_demo_jobs, seed_scale_jobs
from jobs.demo.scale import scale_graduates
from jobs.idnumber import id_number_parse
from jobs.models import (
    Application,
    ApplicationEvent,
    ConsentRecord,
    GraduateProfile,
    Offer,
    Placement,
    Post,
    Preference,
    PublicNoticePage,
    RecruitmentRound,
    RoundAnnouncementPage,
    RoundTransition,
)
from jobs.services.eligibility import posts_eligibility
from regions.models import Region
from tests.cms.support import SKIP_BACKGROUND_TASKS, mfa_enable, module_transaction
from tests.factories import load_small_regions

pytestmark = pytest.mark.django_db

MASKED_ID = re.compile(r"^\d{6}\*{8}\d{3}[\dX]$")
EIGHTEEN_DIGITS = re.compile(r"\d{17}[\dX]")


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """seed_demo once for the module; returns what it printed."""
    with module_transaction(django_db_blocker):
        with (
            django_db_blocker.unblock(),
            override_settings(DEBUG=True, TASKS=SKIP_BACKGROUND_TASKS),
        ):
            load_small_regions()
            out = io.StringIO()
            call_command("seed_demo", stdout=out)
        yield out.getvalue()


@pytest.fixture
def seeded(seeded_once, db):
    cache.clear()
    yield seeded_once
    cache.clear()


def open_round() -> RecruitmentRound:
    return RecruitmentRound.objects.get(region__code="441403", stage=RoundStage.APPLICATIONS_OPEN)


def closed_round() -> RecruitmentRound:
    return RecruitmentRound.objects.get(region__code="440106", stage=RoundStage.CLOSED)


def jobs_counts() -> dict[str, int]:
    models = [
        RecruitmentRound,
        RoundTransition,
        Post,
        GraduateProfile,
        ConsentRecord,
        Application,
        Preference,
        ApplicationEvent,
        Offer,
        Placement,
        PublicNoticePage,
        User,
        Page,
    ]
    return {model.__name__: model.objects.count() for model in models}


def test_seed_demo_says_what_it_made(seeded):
    assert "Jobs: open round “梅县区" in seeded
    assert "with 12 posts" in seeded
    assert "6 placements and its public notice" in seeded


def test_open_round_in_meixian_takes_applications_now_and_for_three_weeks(seeded):
    round_ = open_round()
    now = timezone.now()
    assert round_.applications_window_open(now)
    days_left = (round_.applications_close_at - now).days
    assert 19 <= days_left <= 21
    assert round_.announce_on < timezone.localdate() < round_.eligibility_review_until
    assert round_.matching_on < round_.onboarding_on
    assert round_.created_by.email == "hr.meixian@demo.gd.cn"
    assert list(round_.transitions.values_list("to_stage", flat=True)) == [
        RoundStage.ANNOUNCED,
        RoundStage.APPLICATIONS_OPEN,
    ]
    assert round_.preservice_path is not None
    assert round_.in_service_courses.exists()
    announcements = RoundAnnouncementPage.objects.filter(round=round_).live()
    assert {page.locale.language_code for page in announcements} == {"zh-hans", "en"}


def test_open_round_posts_are_at_real_villages_with_varied_requirements(seeded):
    meixian = Region.objects.get(code="441403")
    posts = list(open_round().posts.select_related("village").prefetch_related("majors"))
    assert len(posts) == 12
    assert len({p.village_id for p in posts}) == 12
    for post in posts:
        assert post.village.level == "village"
        assert meixian.contains(post.village)
        assert post.region_path == post.village.path
        assert post.monthly_subsidy_fen > 0 and post.description
    assert sum(1 for p in posts if p.majors.exists()) >= 4
    assert sum(1 for p in posts if "hakka" in p.dialects) >= 3
    restrictions = Counter(p.hometown_restriction for p in posts)
    assert restrictions[HometownRestriction.SAME_COUNTY] >= 2
    assert restrictions[HometownRestriction.SAME_CITY] >= 1
    assert sum(1 for p in posts if p.max_age_by_level) >= 2
    assert {p.min_education for p in posts} >= {"junior_college", "bachelor", "master"}


def test_demo_graduate_has_a_complete_profile_with_a_valid_masked_synthetic_id(seeded):
    user = User.objects.get(email="graduate@demo.gd.cn")
    profile = user.graduate_profile
    assert profile.real_name == user.full_name == "刘思源"
    assert MASKED_ID.match(profile.id_number_masked)
    number = personal_decrypt(profile.id_number_encrypted)
    parsed = id_number_parse(number)
    assert 900 <= int(number[14:17]) <= 999  # the synthetic marker
    assert number[:6] == "441403"
    assert profile.id_number_hash == personal_hash(number)
    assert profile.id_number_masked == parsed.masked
    assert profile.birth_date == parsed.birth_date
    assert profile.gender == ("male" if parsed.is_male else "female")
    assert profile.hometown.level == "village"
    assert Region.objects.get(code="441403").contains(profile.hometown)
    assert profile.university.name == "嘉应学院"
    assert profile.major.code == "080901"
    assert re.fullmatch(r"1[3-9]\d{9}", profile.phone)
    kinds = dict(
        ConsentRecord.objects.filter(user=user, withdrawn_at__isnull=True).values_list(
            "kind", "text_version"
        )
    )
    assert kinds == {
        ConsentKind.PRIVACY_NOTICE: django_settings.PRIVACY_NOTICE_VERSION,
        ConsentKind.SENSITIVE_ID_NUMBER: django_settings.SENSITIVE_CONSENT_VERSION,
    }


def test_demo_graduate_applied_with_three_ranked_eligible_posts(seeded):
    user = User.objects.get(email="graduate@demo.gd.cn")
    round_ = open_round()
    application = Application.objects.get(round=round_, applicant=user)
    assert application.status == ApplicationStatus.SUBMITTED
    ranked = list(application.preferences.order_by("rank").select_related("post"))
    assert [p.rank for p in ranked] == [1, 2, 3]
    posts = [p.post for p in ranked]
    failures = posts_eligibility(profile=user.graduate_profile, posts=posts, round_=round_)
    assert all(not failures[post.pk] for post in posts)
    assert application.events.filter(to_status=ApplicationStatus.SUBMITTED).exists()


def test_open_round_has_other_applicants_for_hr_with_reviews(seeded):
    round_ = open_round()
    statuses = Counter(round_.applications.values_list("status", flat=True))
    assert sum(statuses.values()) == 13
    assert statuses[ApplicationStatus.ELIGIBLE] >= 3
    assert statuses[ApplicationStatus.REJECTED] == 1
    rejected = round_.applications.get(status=ApplicationStatus.REJECTED)
    assert rejected.eligibility_reason
    for application in round_.applications.exclude(status=ApplicationStatus.REJECTED):
        posts = [p.post for p in application.preferences.select_related("post")]
        assert all(post.round_id == round_.pk for post in posts)
        failures = posts_eligibility(
            profile=application.applicant.graduate_profile, posts=posts, round_=round_
        )
        assert all(not failures[post.pk] for post in posts), application.applicant.email
    demo_users = User.objects.filter(applications__round=round_).exclude(
        email="graduate@demo.gd.cn"
    )
    assert all(u.is_demo and not is_password_usable(u.password) for u in demo_users)


def test_closed_round_in_tianhe_has_placements_and_a_published_notice(seeded):
    round_ = closed_round()
    placements = Placement.objects.filter(post__round=round_)
    assert placements.count() == 6
    assert all(p.status == PlacementStatus.IN_SERVICE for p in placements)
    assert round_.applications.filter(status=ApplicationStatus.IN_SERVICE).count() == 6
    assert round_.applications.filter(status=ApplicationStatus.UNMATCHED).count() == 2
    assert round_.transitions.last().to_stage == RoundStage.CLOSED

    notice = PublicNoticePage.objects.get(round=round_, locale__language_code="zh-hans")
    assert notice.live
    assert notice.opens_on < timezone.localdate()
    assert notice.ends_on < timezone.localdate()
    assert notice.objection_contact
    real_names = {p.user.graduate_profile.real_name for p in placements}
    names = [entry["name"] for entry in notice.entries]
    assert len(names) == 6
    assert all("*" in name for name in names)
    assert not real_names & set(names)
    for name in names:
        assert any(real[0] == name[0] and real[-1] == name[-1] for real in real_names)
    assert not EIGHTEEN_DIGITS.search(json.dumps(notice.entries, ensure_ascii=False))
    english = notice.get_translation(Locale.objects.get(language_code="en"))
    assert english.live and english.title.startswith("Public notice")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_notice_page_shows_masked_names_in_both_languages(seeded, client, language):
    notice = PublicNoticePage.objects.get(
        round=closed_round(), locale__language_code=language
    ).specific
    response = client.get(notice.url)
    assert response.status_code == 200
    html = response.content.decode()
    for entry in notice.entries:
        assert entry["name"] in html
    for placement in Placement.objects.filter(post__round=closed_round()):
        assert placement.user.graduate_profile.real_name not in html


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_public_post_search_lists_the_open_rounds_posts(seeded, client, language):
    round_ = open_round()
    response = client.get(f"/{language}/jobs/posts/", {"round": round_.pk})
    assert response.status_code == 200
    html = response.content.decode()
    for post in round_.posts.select_related("village")[:3]:
        assert post.village.name in html


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_demo_graduate_sees_the_application_and_its_ranked_posts(seeded, client, language):
    user = User.objects.get(email="graduate@demo.gd.cn")
    application = Application.objects.get(round=open_round(), applicant=user)
    client.force_login(user)
    with translation.override(language):
        listing = client.get(reverse("jobs:my_applications"))
        detail = client.get(reverse("jobs:application_detail", args=[application.pk]))
    assert listing.status_code == 200 and detail.status_code == 200
    assert open_round().name in listing.content.decode()
    html = detail.content.decode()
    for preference in application.preferences.select_related("post__village"):
        assert preference.post.village.name in html


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_meixian_hr_officer_sees_the_open_rounds_applications(seeded, client, language):
    officer = User.objects.get(email="hr.meixian@demo.gd.cn")
    mfa_enable(officer)
    client.force_login(officer)
    with translation.override(language):
        response = client.get(reverse("jobs:hr_applications", args=[open_round().pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "刘思源" in html
    tianhe = client.get(reverse("jobs:hr_applications", args=[closed_round().pk]))
    assert tianhe.status_code == 404


def test_seed_demo_twice_adds_nothing(seeded):
    before = jobs_counts()
    with override_settings(DEBUG=True, TASKS=SKIP_BACKGROUND_TASKS):
        call_command("seed_demo", stdout=io.StringIO())
    assert jobs_counts() == before
    result = seed_demo_jobs()
    assert result.open_posts == 12 and result.placements == 6
    assert jobs_counts() == before


# --- the province-scale seeder, small -------------------------------------------------------------


def test_scale_seeder_makes_one_post_per_village_and_graduates_with_ten_choices(seeded):
    villages = Region.objects.filter(level="village")
    result = seed_scale_jobs(graduates=300, batch_size=120)
    assert result.rounds == 2  # 梅县区 and 天河区 are the only counties with villages here
    assert result.posts == villages.count()
    assert (result.graduates, result.graduates_created, result.applications) == (300, 300, 300)
    assert result.preferences == 3000

    users = scale_graduates()
    assert users.count() == 300
    assert all(u.is_demo and not is_password_usable(u.password) for u in users)
    profiles = list(GraduateProfile.objects.filter(user__in=users).select_related("hometown"))
    assert len(profiles) == 300
    assert len({p.id_number_hash for p in profiles}) == 300
    for profile in profiles[:60]:
        number = personal_decrypt(profile.id_number_encrypted)
        parsed = id_number_parse(number)
        assert 900 <= int(number[14:17]) <= 989
        assert 1996 <= parsed.birth_date.year <= 2004
        assert number[:6] in profile.hometown.path
        assert profile.id_number_masked == parsed.masked
        assert profile.university_id and profile.major_id and profile.hometown.level == "village"

    home = 0
    applications = Application.objects.filter(applicant__in=users).select_related(
        "round__region", "applicant__graduate_profile__hometown"
    )
    for application in applications:
        assert application.status == ApplicationStatus.SCORED
        assert application.written_score is not None and application.interview_score is not None
        ranked = list(application.preferences.order_by("rank").values_list("rank", "post__round"))
        assert [rank for rank, _round in ranked] == list(range(1, 11))
        assert {round_id for _rank, round_id in ranked} == {application.round_id}
        hometown = application.applicant.graduate_profile.hometown
        home += application.round.region.contains(hometown)
    assert 0.8 <= home / 300 <= 0.97

    again = seed_scale_jobs(graduates=300, batch_size=120)
    assert (again.graduates_created, again.applications, again.preferences) == (0, 300, 3000)
    more = seed_scale_jobs(graduates=350, batch_size=120)
    assert (more.graduates_created, more.applications, more.preferences) == (50, 350, 3500)
    assert GraduateProfile.objects.filter(user__in=scale_graduates()).count() == 350


def test_scale_seeder_rejects_a_silly_size(seeded):
    with pytest.raises(ValueError):
        seed_scale_jobs(graduates=0)
