"""Data for benchmarks/jobs_province.py, created inside `manage.py shell` after the province-scale
jobs seed (jobs.demo.seed_scale_jobs). Prints one JSON line.

- an HR round of 梅县区 with 5,000 applications (10 ranked posts each, mixed statuses), and
  a session cookie of the county's HR officer (TOTP enabled, as production requires);
- an open round of 梅县区 with a post at each of its villages (varied requirements), and for
  each graduate of the province-scale set whose hometown is in 梅县区, ten posts of that round
  they are eligible for (the submissions benchmark applies with them);
- a signed-in graduate's session cookie, and region codes for the post search.
"""

import datetime
import json
import random

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from accounts.demo import seed_scale_hr_officers
from accounts.models import User
from jobs.choices import ApplicationStatus, RoundStage
from jobs.demo.scale import rows_insert, scale_graduates
from jobs.models import Application, GraduateProfile, Major, Post, Preference, RecruitmentRound
from jobs.selectors.posts import jobs_public_cache_invalidate
from jobs.services.eligibility import posts_eligibility, posts_for_eligibility
from regions.models import Region

COUNTY = "441403"  # 梅县区: 391 villages
HR_APPLICATIONS = 5_000
SEARCH_CODES = ["440000", "441400", COUNTY, "441403103"]  # province, city, county, township


def session_cookie(user: User) -> str:
    store = import_string(settings.SESSION_ENGINE + ".SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store.session_key


def _round(county: Region, name: str, stage: str, **fields) -> RecruitmentRound:
    now = timezone.now()
    round_, _created = RecruitmentRound.objects.get_or_create(
        region=county,
        name=name,
        defaults={
            "year": now.year,
            "stage": stage,
            "max_preferences": 10,
            "applications_open_at": now - datetime.timedelta(days=10),
            "applications_close_at": now + datetime.timedelta(days=20),
            **fields,
        },
    )
    return round_


def _posts(round_: RecruitmentRound, villages: list[Region], *, varied: bool) -> list[int]:
    if not round_.posts.exists():
        rng = random.Random(4)
        majors = list(Major.objects.filter(class_code__in=["0809", "1204", "1208", "0901"]))
        posts = []
        for i, village in enumerate(villages):
            post = Post(round=round_, village=village, region_path=village.path)
            if varied:
                post.max_age_by_level = {"junior_college": 35, "bachelor": 35, "master": 38}
                post.hometown_restriction = ["none", "same_county", "same_city"][i % 3]
                post.dialects = ["hakka"] if i % 4 == 0 else []
                post.min_education = "bachelor" if i % 5 == 0 else "junior_college"
            posts.append(post)
        Post.objects.bulk_create(posts, batch_size=1_000)
        if varied:
            Through = Post.majors.through
            Through.objects.bulk_create(
                Through(post_id=p.pk, major_id=m.pk)
                for p in Post.objects.filter(round=round_)
                if p.pk % 7 == 0
                for m in rng.sample(majors, 12)
            )
    return list(round_.posts.order_by("pk").values_list("pk", flat=True))


def hr_round(county: Region, villages: list[Region]) -> RecruitmentRound:
    round_ = _round(county, "基准测试：5,000 份申请", RoundStage.ELIGIBILITY_REVIEW)
    post_ids = _posts(round_, villages, varied=False)
    if round_.applications.count() >= HR_APPLICATIONS:
        return round_
    rng = random.Random(5)
    users = list(scale_graduates().order_by("email").values_list("pk", flat=True)[:HR_APPLICATIONS])
    statuses = (
        [ApplicationStatus.SUBMITTED] * 6
        + [ApplicationStatus.ELIGIBLE] * 3
        + [ApplicationStatus.REJECTED]
    )
    now = timezone.now()
    with transaction.atomic():
        rows_insert(
            Application,
            [
                {
                    "round_id": round_.pk,
                    "applicant_id": pk,
                    "status": rng.choice(statuses).value,
                    "submitted_at": now - datetime.timedelta(minutes=rng.randint(1, 14_000)),
                }
                for pk in users
            ],
        )
        rows_insert(
            Preference,
            [
                {"application_id": application, "post_id": post, "rank": rank}
                for application in round_.applications.values_list("pk", flat=True)
                for rank, post in enumerate(rng.sample(post_ids, 10), start=1)
            ],
        )
    return round_


def submit_round(county: Region, villages: list[Region]) -> tuple[RecruitmentRound, list]:
    round_ = _round(county, "基准测试：报名", RoundStage.APPLICATIONS_OPEN)
    _posts(round_, villages, varied=True)
    posts = list(posts_for_eligibility(round_.posts.order_by("pk")))
    profiles = (
        GraduateProfile.objects.filter(
            user__in=scale_graduates(), hometown__path__startswith=county.path
        )
        .exclude(user__applications__round=round_)
        .select_related("hometown", "major")
        .order_by("user_id")
    )
    rng = random.Random(6)
    plan = []
    for profile in profiles:
        failures = posts_eligibility(profile=profile, posts=posts, round_=round_)
        eligible = [p.pk for p in posts if not failures[p.pk]]
        if len(eligible) >= 10:
            plan.append([profile.user_id, rng.sample(eligible, 10)])
    return round_, plan


def main() -> None:
    seed_scale_hr_officers()
    county = Region.objects.get(code=COUNTY)
    villages = list(Region.objects.filter(path__startswith=county.path, level="village"))
    officer = User.objects.get(email=f"hr.{COUNTY}@scale.gd.cn")
    if not Authenticator.objects.filter(user=officer, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(officer, generate_totp_secret())
    hr = hr_round(county, villages)
    submit, plan = submit_round(county, villages)
    graduate = scale_graduates().order_by("email").first()
    # The seed and these rounds write in bulk, past the services: drop what the public search
    # may have cached before, as the services do after a change.
    jobs_public_cache_invalidate()
    print(
        json.dumps(
            {
                "hr_round": hr.pk,
                "hr_applications": hr.applications.count(),
                "hr_cookie": session_cookie(officer),
                "submit_round": submit.pk,
                "submissions": plan,
                "graduate_cookie": session_cookie(graduate),
                "search_codes": SEARCH_CODES,
                "posts": Post.objects.count(),
            }
        )
    )


main()
