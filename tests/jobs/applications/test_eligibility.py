"""Each eligibility rule, with the sentence that explains it (English exactly; in Chinese the
facts it names), and the cost in queries of checking ten posts."""

import datetime

from django.utils import timezone, translation

from jobs.choices import EducationLevel, HometownRestriction
from jobs.models import Major, Post
from jobs.services.eligibility import (
    post_eligibility,
    posts_eligibility,
    posts_for_eligibility,
    profile_for_eligibility,
)
from tests.jobs.builders import TIANHE, make_graduate, make_post, villages_of


def failures(user, post, language="en"):
    profile = profile_for_eligibility(user)
    with translation.override(language):
        return post_eligibility(profile, post, post.round)


def messages(user, post, language="en"):
    return [f.message for f in failures(user, post, language)]


def test_a_post_without_requirements_takes_any_graduate(graduate, posts):
    assert failures(graduate, posts[0]) == []


def test_minimum_education(graduate, round_, meixian_villages):
    post = make_post(round_, meixian_villages[0], min_education=EducationLevel.MASTER)
    assert messages(graduate, post) == [
        "This post requires at least a Master's degree; yours is a Bachelor's degree."
    ]
    assert messages(graduate, post, "zh-hans") == [
        "该岗位要求硕士研究生及以上学历，您的学历为本科。"
    ]
    junior = make_graduate(education_level=EducationLevel.JUNIOR_COLLEGE)
    bachelor_post = make_post(round_, meixian_villages[1], min_education=EducationLevel.BACHELOR)
    assert [f.code for f in failures(junior, bachelor_post)] == ["education"]
    assert failures(graduate, bachelor_post) == []


def test_full_time_degree(round_, meixian_villages):
    part_time = make_graduate(full_time=False)
    post = make_post(round_, meixian_villages[0], full_time_required=True)
    assert messages(part_time, post) == [
        "This post requires a full-time degree; yours is not from full-time study."
    ]
    relaxed = make_post(round_, meixian_villages[1], full_time_required=False)
    assert failures(part_time, relaxed) == []


def test_majors_exact_codes(graduate, round_, meixian_villages):
    others = list(Major.objects.exclude(code="080901").order_by("code")[:7])
    post = make_post(round_, meixian_villages[0])
    post.majors.set(others)
    (message,) = messages(graduate, post)
    named = "、".join(m.name for m in others[:5])
    assert message == (
        f"This post is open to 7 majors ({named}…); yours, 计算机科学与技术, is not one of them."
    )
    zh = messages(graduate, post, "zh-hans")[0]
    assert "计算机科学与技术" in zh and others[0].name in zh
    post.majors.add(Major.objects.get(code="080901"))
    assert failures(graduate, post) == []


def test_age_limit_by_degree_level_at_the_reference_date(round_, meixian_villages):
    # Born 2002-05-17: 24 on 2026-06-30.
    graduate = make_graduate()
    round_.age_reference_date = datetime.date(2026, 6, 30)
    round_.save()
    post = make_post(round_, meixian_villages[0], max_age_by_level={"bachelor": 23, "master": 28})
    assert messages(graduate, post) == [
        "This post takes holders of a Bachelor's degree aged 23 or younger on 2026-06-30; "
        "you are 24 on that day."
    ]
    zh = messages(graduate, post, "zh-hans")[0]
    assert "2026-06-30" in zh and "23" in zh and "24" in zh
    # The birthday is what counts: on 2026-05-16 the graduate is still 23.
    round_.age_reference_date = datetime.date(2026, 5, 16)
    assert post_eligibility(profile_for_eligibility(graduate), post, round_) == []
    # A level without a limit is not limited.
    master = make_graduate(education_level=EducationLevel.MASTER)
    roomy = make_post(round_, meixian_villages[1], max_age_by_level={"bachelor": 23})
    assert failures(master, roomy) == []


def test_age_reference_defaults_to_the_closing_day(round_, meixian_villages):
    graduate = make_graduate()
    round_.age_reference_date = None
    round_.save()
    post = make_post(round_, meixian_villages[0], max_age_by_level={"bachelor": 20})
    (message,) = messages(graduate, post)
    closing = timezone.localdate(round_.applications_close_at)
    assert f"or younger on {closing.isoformat()};" in message


def test_hometown_same_county(round_, meixian_villages):
    outsider = make_graduate(hometown=villages_of(TIANHE)[0])
    post = make_post(
        round_, meixian_villages[0], hometown_restriction=HometownRestriction.SAME_COUNTY
    )
    assert messages(outsider, post) == [
        "This post requires a hometown in 梅县区; yours is in 天河区."
    ]
    assert messages(outsider, post, "zh-hans") == ["该岗位要求户籍在梅县区，您的户籍在天河区。"]
    local = make_graduate(hometown=meixian_villages[-1])
    assert failures(local, post) == []


def test_hometown_same_city(round_, meixian_villages):
    outsider = make_graduate(hometown=villages_of(TIANHE)[0])
    post = make_post(
        round_, meixian_villages[0], hometown_restriction=HometownRestriction.SAME_CITY
    )
    assert messages(outsider, post) == [
        "This post requires a hometown in 梅州市; yours is in 广州市."
    ]
    assert "梅州市" in messages(outsider, post, "zh-hans")[0]
    local = make_graduate(hometown=meixian_villages[3])
    assert failures(local, post) == []


def test_dialects_any_one_of(round_, meixian_villages):
    graduate = make_graduate(dialects=["cantonese"])
    post = make_post(round_, meixian_villages[0], dialects=["hakka", "teochew"])
    assert messages(graduate, post) == [
        "This post requires one of these dialects: Hakka、Teochew; you have listed Cantonese."
    ]
    silent = make_graduate(dialects=[])
    assert messages(silent, post)[0].endswith("you have listed none.")
    both = make_graduate(dialects=["cantonese", "teochew"])
    assert failures(both, post) == []


def test_every_failed_rule_is_listed(round_, meixian_villages):
    outsider = make_graduate(
        hometown=villages_of(TIANHE)[0], full_time=False, dialects=[], major_code="080901"
    )
    post = make_post(
        round_,
        meixian_villages[0],
        min_education=EducationLevel.MASTER,
        full_time_required=True,
        hometown_restriction=HometownRestriction.SAME_COUNTY,
        dialects=["hakka"],
    )
    post.majors.set(Major.objects.exclude(code="080901")[:1])
    assert [f.code for f in failures(outsider, post)] == [
        "education",
        "full_time",
        "major",
        "dialect",
        "hometown",
    ]


def test_ten_posts_cost_a_fixed_number_of_queries(
    round_, meixian_villages, django_assert_max_num_queries
):
    outsider = make_graduate(hometown=villages_of(TIANHE)[0])
    for village in meixian_villages[:10]:
        post = make_post(
            round_,
            village,
            hometown_restriction=HometownRestriction.SAME_COUNTY,
            dialects=["hakka"],
        )
        post.majors.set(Major.objects.all()[:3])
    profile = profile_for_eligibility(outsider)
    with django_assert_max_num_queries(3):
        posts = list(posts_for_eligibility(Post.objects.filter(round=round_)))
        result = posts_eligibility(profile=profile, posts=posts, round_=round_)
    assert len(result) == 10
    assert all({f.code for f in fs} == {"major", "hometown"} for fs in result.values())
