"""The HR list of a round's applications: filters, sorting, pagination, a bounded number of
queries, and scope (404 for another county, 403 for non-HR, sign-in for visitors)."""

import datetime

from django.urls import reverse
from django.utils import timezone, translation

import pytest

from accounts.choices import Role
from jobs.choices import ApplicationStatus, RoundStage
from jobs.crypto import personal_decrypt
from jobs.models import Application
from jobs.selectors.hr import ApplicationFilters, round_applications_page
from tests.accounts.helpers import give_totp
from tests.factories import user_with_role
from tests.jobs.builders import make_graduate, make_post, make_round, villages_of

from .helpers import MEIXIAN, make_application


def url(round_):
    return reverse("jobs:hr_applications", args=[round_.pk])


def names(response) -> list[str]:
    return [row["name"] for row in response.context["page_obj"]]


@pytest.fixture
def mixed(round_review, posts):
    now = timezone.now()
    a = make_application(
        round_review,
        [posts[0], posts[1]],
        real_name="张三",
        submitted_at=now - datetime.timedelta(days=3),
    )
    b = make_application(
        round_review,
        [posts[1], posts[0]],
        real_name="李四",
        status=ApplicationStatus.ELIGIBLE,
        submitted_at=now - datetime.timedelta(days=2),
    )
    c = make_application(
        round_review,
        [posts[2]],
        real_name="王五",
        status=ApplicationStatus.REJECTED,
        submitted_at=now - datetime.timedelta(days=1),
    )
    d = make_application(
        round_review,
        [posts[2], posts[0]],
        real_name="赵六",
        status=ApplicationStatus.SCORED,
        written=80,
        interview=90,
        submitted_at=now,
    )
    return a, b, c, d


def test_list_shows_masked_ids_and_the_profile_facts(client, hr_meixian, mixed):
    client.force_login(hr_meixian)
    response = client.get(url(mixed[0].round))
    assert response.status_code == 200
    html = response.content.decode()
    profile = mixed[0].applicant.graduate_profile
    assert profile.id_number_masked in html
    assert "********" in profile.id_number_masked
    assert profile.hometown.name in html
    assert personal_decrypt(profile.id_number_encrypted) not in html
    assert profile.major.name in html
    # Newest first by default.
    assert names(response) == ["赵六", "王五", "李四", "张三"]
    assert response.context["page_obj"].object_list[0]["total"] == 85  # 80 × 50% + 90 × 50%
    assert "85.00" in html


def test_rows_show_the_first_choice_and_how_many_more(client, hr_meixian, mixed, posts):
    from bs4 import BeautifulSoup

    client.force_login(hr_meixian)
    with translation.override("en"):
        html = client.get(url(mixed[0].round)).content.decode()
        post_url = reverse("jobs:hr_post_applicants", args=[posts[0].pk])
        detail_url = reverse("jobs:hr_application_detail", args=[mixed[0].pk])
    soup = BeautifulSoup(html, "html.parser")
    rows = {row.th.get_text(strip=True): row for row in soup.select("tbody tr")}
    zhang, wang = rows["张三"], rows["王五"]
    first_choice = zhang.find("a", href=post_url)
    assert first_choice.get_text() == posts[0].village.name
    assert "and 1 more" in zhang.get_text()
    assert posts[1].village.name not in zhang.get_text()  # the full ranking is on its page
    assert "more" not in wang.get_text()
    assert zhang.th.a["href"] == detail_url
    # Only applications awaiting review can be ticked for the bulk confirmation.
    assert zhang.find("input", type="checkbox")["aria-label"] == "Select 张三"
    assert rows["李四"].find("input", type="checkbox") is None
    assert "Eligibility confirmed" in rows["李四"].get_text()


def test_filter_choices_follow_the_posts_of_the_round(client, hr_meixian, mixed, posts):
    from bs4 import BeautifulSoup

    from jobs.selectors.posts import jobs_public_cache_invalidate

    client.force_login(hr_meixian)
    round_ = mixed[0].round

    def options(name):
        soup = BeautifulSoup(client.get(url(round_), {name: ""}).content, "html.parser")
        return [o["value"] for o in soup.select(f"select[name={name}] option")]

    assert options("post") == ["", *[str(p.pk) for p in sorted(posts, key=lambda p: p.region_path)]]
    used = {p.village_id for p in posts}
    village = next(v for v in villages_of(MEIXIAN) if v.pk not in used)
    added = make_post(round_, village)
    # Every change of a post through the services bumps the generation (as this does).
    jobs_public_cache_invalidate()
    assert str(added.pk) in options("post")
    assert village.parent.code in options("township")


def test_filter_by_post_any_preference_or_first_choice(client, hr_meixian, mixed, posts):
    client.force_login(hr_meixian)
    response = client.get(url(posts[0].round), {"post": posts[0].pk})
    assert sorted(names(response)) == sorted(["张三", "李四", "赵六"])
    response = client.get(url(posts[0].round), {"post": posts[0].pk, "choice": "first"})
    assert names(response) == ["张三"]


def test_filter_by_township(client, hr_meixian, mixed, posts):
    client.force_login(hr_meixian)
    other_township = posts[2].village.parent
    response = client.get(url(posts[0].round), {"township": other_township.code})
    assert sorted(names(response)) == sorted(["王五", "赵六"])
    response = client.get(
        url(posts[0].round), {"township": posts[0].village.parent.code, "choice": "first"}
    )
    assert sorted(names(response)) == sorted(["张三", "李四"])
    # A township of another county matches nothing (it is not ignored).
    response = client.get(url(posts[0].round), {"township": "440106001"})
    assert names(response) == []


def test_filter_by_status_and_eligibility(client, hr_meixian, mixed, round_review):
    client.force_login(hr_meixian)
    assert names(client.get(url(round_review), {"status": "eligible"})) == ["李四"]
    assert names(client.get(url(round_review), {"eligibility": "pending"})) == ["张三"]
    assert names(client.get(url(round_review), {"eligibility": "confirmed"})) == ["赵六", "李四"]
    assert names(client.get(url(round_review), {"eligibility": "rejected"})) == ["王五"]


def test_bad_filter_values_are_ignored(client, hr_meixian, mixed, round_review):
    client.force_login(hr_meixian)
    response = client.get(
        url(round_review),
        {"status": "hacked", "eligibility": "x", "sort": "drop table", "post": "abc", "page": "zz"},
    )
    assert response.status_code == 200
    assert len(names(response)) == 4


def test_sorting_by_name_score_and_submission(client, hr_meixian, mixed, round_review):
    mixed[1].written_score, mixed[1].interview_score = 95, 95
    mixed[1].save()
    client.force_login(hr_meixian)
    by_score = names(client.get(url(round_review), {"sort": "score"}))
    assert by_score[:2] == ["李四", "赵六"]  # 95, 85; then those without scores, oldest first
    assert by_score[2:] == ["张三", "王五"]
    assert names(client.get(url(round_review), {"sort": "-submitted"})) == [
        "张三",
        "李四",
        "王五",
        "赵六",
    ]
    by_name = names(client.get(url(round_review), {"sort": "name"}))
    assert by_name == sorted(by_name)
    html = client.get(url(round_review), {"sort": "name", "status": "eligible"}).content.decode()
    assert "status=eligible&amp;sort=score" in html  # sort links keep the filters


def test_pagination_fifty_per_page(client, hr_meixian, round_review, posts):
    for i in range(53):
        make_application(round_review, [posts[i % 3]], real_name=f"申请人{i:02d}")
    client.force_login(hr_meixian)
    first = client.get(url(round_review), {"sort": "name"})
    assert len(first.context["page_obj"].object_list) == 50
    assert first.context["page_obj"].paginator.count == 53
    second = client.get(url(round_review), {"sort": "name", "page": 2})
    assert names(second) == ["申请人50", "申请人51", "申请人52"]
    assert "sort=name&amp;page=2" in first.content.decode()


def test_first_page_has_a_fixed_number_of_queries(
    client, hr_meixian, round_review, posts, django_assert_max_num_queries
):
    for i in range(60):
        make_application(round_review, posts if i % 2 else posts[:1], real_name=f"申请人{i:02d}")
    # The selector: COUNT, the ids of the page, their rows (joins), their preferences.
    with django_assert_max_num_queries(4):
        page = round_applications_page(
            round_=round_review, filters=ApplicationFilters(sort="score", post=posts[0].pk)
        )
        for application in page.object_list:
            profile = application.applicant.graduate_profile
            _ = (profile.hometown.parent.name, profile.major.name)
            _ = [p.post.village.name for p in application.page_preferences]
    client.force_login(hr_meixian)
    client.get(url(round_review))  # warm the session and caches
    # The whole page: session, user, roles, MFA, round, filter form choices, and the 4 above.
    with django_assert_max_num_queries(14):
        response = client.get(url(round_review), {"sort": "name"})
    assert len(response.context["page_obj"].object_list) == 50


def test_officer_of_another_county_gets_404(client, hr_tianhe, round_review, posts):
    client.force_login(hr_tianhe)
    assert client.get(url(round_review)).status_code == 404
    application = make_application(round_review, posts)
    assert (
        client.get(reverse("jobs:hr_application_detail", args=[application.pk])).status_code == 404
    )
    assert client.get(reverse("jobs:hr_post_applicants", args=[posts[0].pk])).status_code == 404


def test_non_hr_gets_403_and_visitors_sign_in(client, round_review):
    graduate = make_graduate()
    client.force_login(graduate)
    assert client.get(url(round_review)).status_code == 403
    client.logout()
    response = client.get(url(round_review))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_city_officer_sees_the_county_round(client, round_review, posts):
    city_officer = user_with_role(Role.HR_OFFICER, "441400")
    give_totp(city_officer)
    client.force_login(city_officer)
    assert client.get(url(round_review)).status_code == 200


# --- one post's applicants in priority order -----------------------------------------------------


def test_post_applicants_by_rank_then_submission_until_scored(
    client, hr_meixian, round_review, posts
):
    now = timezone.now()
    second_choice = make_application(
        round_review,
        [posts[1], posts[0]],
        real_name="二志愿",
        submitted_at=now - datetime.timedelta(days=5),
    )
    first_late = make_application(round_review, [posts[0]], real_name="一志愿晚", submitted_at=now)
    first_early = make_application(
        round_review,
        [posts[0]],
        real_name="一志愿早",
        submitted_at=now - datetime.timedelta(days=1),
    )
    make_application(
        round_review, [posts[0]], real_name="何撤回", status=ApplicationStatus.WITHDRAWN
    )
    client.force_login(hr_meixian)
    response = client.get(reverse("jobs:hr_post_applicants", args=[posts[0].pk]))
    order = [p.application_id for p in response.context["page_obj"]]
    assert order == [first_early.pk, first_late.pk, second_choice.pk]
    # Scores decide once they are in.
    Application.objects.filter(pk=second_choice.pk).update(written_score=90, interview_score=90)
    Application.objects.filter(pk=first_late.pk).update(written_score=60, interview_score=70)
    response = client.get(reverse("jobs:hr_post_applicants", args=[posts[0].pk]))
    order = [p.application_id for p in response.context["page_obj"]]
    assert order == [second_choice.pk, first_late.pk, first_early.pk]
    assert "何撤回" not in response.content.decode()
    response = client.get(reverse("jobs:hr_post_applicants", args=[posts[0].pk]), {"closed": 1})
    assert "何撤回" in response.content.decode()


def test_scores_weigh_by_the_round_weights(round_review, posts):
    other = make_round(MEIXIAN, stage=RoundStage.SCORING, weight_written=30, weight_interview=70)
    post = make_post(other, posts[0].village)
    a = make_application(other, [post], written=100, interview=50)
    b = make_application(other, [post], written=50, interview=80)
    page = round_applications_page(round_=other, filters=ApplicationFilters(sort="score"))
    assert [(x.pk, x.total) for x in page.object_list] == [(b.pk, 71), (a.pk, 65)]
