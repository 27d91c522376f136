"""HR screens for rounds and posts: scope (404), role (403), forms, advance, import, announcement."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from wagtail.models import Page

import pytest

from jobs.choices import RoundStage
from jobs.models import (
    Post,
    RecruitmentIndexPage,
    RecruitmentRound,
    RoundAnnouncementPage,
    RoundTransition,
)
from tests.factories import region
from tests.jobs.builders import MEIXIAN, TIANHE, make_post, make_round, villages_of
from tests.training.builders import _minimal_home

V1, V2 = "441403001001", "441403001002"


def url(name, *args, lang="en"):
    with translation.override(lang):
        return reverse(f"jobs:{name}", args=args)


@pytest.fixture
def meixian_client(client, hr_meixian):
    client.force_login(hr_meixian)
    return client


def test_anonymous_visitors_are_sent_to_sign_in(client, open_round):
    response = client.get(url("hr_rounds"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"] or "login" in response["Location"]


def test_people_without_the_hr_role_get_403(client, graduate, open_round):
    client.force_login(graduate)
    assert client.get(url("hr_rounds")).status_code == 403
    assert client.get(url("hr_round_detail", open_round.pk)).status_code == 403


def test_an_officer_of_another_county_gets_404_for_the_round_and_its_posts(
    client, hr_tianhe, open_round
):
    post = make_post(open_round, region(V1))
    client.force_login(hr_tianhe)
    for name in (
        "hr_round_detail",
        "hr_round_edit",
        "hr_round_advance",
        "hr_post_create",
        "hr_post_import",
        "hr_posts_for_township",
    ):
        assert client.get(url(name, open_round.pk)).status_code == 404, name
    assert client.get(url("hr_post_edit", post.pk)).status_code == 404
    assert (
        client.post(
            url("hr_round_advance", open_round.pk), {"to_stage": "eligibility_review"}
        ).status_code
        == 404
    )
    assert client.post(url("hr_announcement_generate", open_round.pk)).status_code == 404
    assert RecruitmentRound.objects.get(pk=open_round.pk).stage == RoundStage.APPLICATIONS_OPEN
    # Their list does not show it.
    assert open_round.name not in client.get(url("hr_rounds")).content.decode()


def test_the_list_shows_rounds_in_scope_and_the_navigation_links_it(
    meixian_client, open_round, regions
):
    other = make_round(TIANHE, name="天河区招聘")
    response = meixian_client.get(url("hr_rounds"))
    html = response.content.decode()
    assert open_round.name in html and other.name not in html
    assert url("hr_rounds") in html  # the "Recruitment" navigation item


def test_create_a_round_through_the_form(meixian_client, hr_meixian):
    response = meixian_client.post(
        url("hr_round_create"),
        {
            "region": MEIXIAN,
            "name": "梅县区2027年招聘",
            "year": 2027,
            "applications_open_at": "2027-03-05T09:00",
            "applications_close_at": "2027-03-20T18:00",
            "offer_reply_days": 7,
            "notice_working_days": 5,
            "max_preferences": 5,
            "weight_written": "50",
            "weight_interview": "50",
            "bonus_home_village": "5",
            "bonus_home_township": "3",
            "bonus_home_county": "1",
            "bonus_preservice": "2",
            "bonus_under_served": "0",
        },
    )
    round = RecruitmentRound.objects.get(name="梅县区2027年招聘")
    assert response.status_code == 302
    assert response["Location"] == url("hr_round_detail", round.pk)
    assert round.stage == RoundStage.DRAFT and round.created_by == hr_meixian


def test_the_form_shows_the_services_errors_and_scope(meixian_client):
    data = {
        "region": TIANHE,
        "name": "x",
        "year": 2027,
        "offer_reply_days": 7,
        "notice_working_days": 5,
        "max_preferences": 5,
        "weight_written": "50",
        "weight_interview": "50",
        "bonus_home_village": "0",
        "bonus_home_township": "0",
        "bonus_home_county": "0",
        "bonus_preservice": "0",
        "bonus_under_served": "0",
    }
    response = meixian_client.post(url("hr_round_create"), data)
    assert response.status_code == 200
    assert "outside your scope" in response.content.decode()
    data.update(region=MEIXIAN, weight_written="70")
    response = meixian_client.post(url("hr_round_create"), data)
    assert "must add up to 100" in response.content.decode()
    assert not RecruitmentRound.objects.exists()


def test_detail_shows_the_timeline_and_advance_moves_one_stage(
    meixian_client, hr_meixian, draft_round
):
    make_post(draft_round, region(V1))
    html = meixian_client.get(url("hr_round_detail", draft_round.pk)).content.decode()
    assert "Announced" in html and villages_of("441403001")[0].name in html

    page = meixian_client.get(url("hr_round_advance", draft_round.pk))
    assert page.status_code == 200 and 'value="announced"' in page.content.decode()
    response = meixian_client.post(
        url("hr_round_advance", draft_round.pk), {"to_stage": "announced"}
    )
    assert response.status_code == 302
    # The same form posted twice (a double click): refused, nothing moves.
    response = meixian_client.post(
        url("hr_round_advance", draft_round.pk), {"to_stage": "announced"}, follow=True
    )
    assert "never goes back" in response.content.decode()
    assert RoundTransition.objects.filter(round=draft_round).count() == 1
    transition = RoundTransition.objects.get(round=draft_round)
    assert transition.actor == hr_meixian
    html = meixian_client.get(url("hr_round_detail", draft_round.pk)).content.decode()
    assert hr_meixian.full_name in html


def test_add_and_edit_a_post(meixian_client, draft_round):
    response = meixian_client.post(
        url("hr_post_create", draft_round.pk),
        {
            "village": V1,
            "title": "公共服务站专职操作员",
            "headcount": 1,
            "min_education": "bachelor",
            "full_time_required": "on",
            "majors": "120402；080901",
            "max_age_bachelor": 30,
            "hometown_restriction": "same_county",
            "dialects": ["hakka"],
            "monthly_subsidy_yuan": "3500.50",
            "service_term_months": 36,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    post = Post.objects.get(round=draft_round)
    assert (post.monthly_subsidy_fen, post.max_age_by_level, post.dialects) == (
        350050,
        {"bachelor": 30},
        ["hakka"],
    )
    assert sorted(m.code for m in post.majors.all()) == ["080901", "120402"]

    edit = meixian_client.get(url("hr_post_edit", post.pk)).content.decode()
    assert "3500.50" in edit and "120402" in edit
    response = meixian_client.post(
        url("hr_post_edit", post.pk),
        {
            "title": "岗位",
            "headcount": 2,
            "min_education": "junior_college",
            "hometown_restriction": "none",
            "monthly_subsidy_yuan": "3000",
            "service_term_months": 24,
            "majors": "999999",
        },
    )
    assert "no major with the code 999999" in response.content.decode()
    response = meixian_client.post(
        url("hr_post_edit", post.pk),
        {
            "title": "岗位",
            "headcount": 2,
            "min_education": "junior_college",
            "hometown_restriction": "none",
            "monthly_subsidy_yuan": "3000",
            "service_term_months": 24,
        },
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.headcount, post.monthly_subsidy_fen, post.full_time_required) == (2, 300000, False)


def test_a_village_outside_the_round_is_refused_on_the_form(meixian_client, draft_round):
    response = meixian_client.post(
        url("hr_post_create", draft_round.pk),
        {
            "village": villages_of(TIANHE)[0].code,
            "title": "t",
            "headcount": 1,
            "min_education": "bachelor",
            "hometown_restriction": "none",
            "monthly_subsidy_yuan": "0",
            "service_term_months": 24,
        },
    )
    assert response.status_code == 200
    assert "is not in 梅县区" in response.content.decode()
    assert not Post.objects.exists()


def test_posts_for_a_township_through_the_form(meixian_client, draft_round):
    response = meixian_client.post(
        url("hr_posts_for_township", draft_round.pk),
        {
            "township": "441403001",
            "title": "公共服务站专职操作员",
            "headcount": 1,
            "min_education": "junior_college",
            "hometown_restriction": "none",
            "monthly_subsidy_yuan": "3000",
            "service_term_months": 24,
        },
    )
    assert response.status_code == 302
    assert Post.objects.filter(round=draft_round).count() == 5


def test_import_dry_run_then_confirm(meixian_client, draft_round):
    data = f"村代码,人数\r\n{V1},1\r\n{V2},2\r\n".encode("utf-8-sig")
    response = meixian_client.post(
        url("hr_post_import", draft_round.pk), {"file": SimpleUploadedFile("posts.csv", data)}
    )
    assert response.status_code == 200
    token = response.context["token"]
    assert token and not Post.objects.exists()
    response = meixian_client.post(url("hr_post_import_confirm", draft_round.pk), {"token": token})
    assert response.status_code == 302
    assert Post.objects.filter(round=draft_round).count() == 2
    # The same token again: expired.
    response = meixian_client.post(
        url("hr_post_import_confirm", draft_round.pk), {"token": token}, follow=True
    )
    assert "expired or was already imported" in response.content.decode()
    assert Post.objects.count() == 2


def test_import_with_errors_shows_them_by_line_and_offers_no_confirm(meixian_client, draft_round):
    data = f"村代码,人数\r\n{V1},1\r\n{V2},zero\r\n".encode()
    response = meixian_client.post(
        url("hr_post_import", draft_round.pk), {"file": SimpleUploadedFile("posts.csv", data)}
    )
    html = response.content.decode()
    assert response.context["token"] is None
    assert "“zero” is not a whole number." in html
    assert "<td>3</td>" in html
    assert url("hr_post_import_confirm", draft_round.pk) not in html
    bad = meixian_client.post(
        url("hr_post_import", draft_round.pk),
        {"file": SimpleUploadedFile("posts.xlsx", b"PK\x03\x04junk")},
    )
    assert "cannot be opened" in bad.content.decode()


def test_import_template_downloads(meixian_client, draft_round):
    response = meixian_client.get(url("hr_post_import_template", draft_round.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "村代码".encode() in response.content


def test_generate_the_announcement(meixian_client, open_round, hr_meixian):
    _minimal_home()
    make_post(open_round, region(V1), monthly_subsidy_fen=350000)
    make_post(open_round, region(V2), headcount=2, monthly_subsidy_fen=300000)
    response = meixian_client.post(url("hr_announcement_generate", open_round.pk))
    assert response.status_code == 302
    page = RoundAnnouncementPage.objects.get(round=open_round)
    assert page.live and page.locale.language_code == "zh-hans"
    assert isinstance(page.get_parent().specific, RecruitmentIndexPage)
    assert "3" in page.body and "3,000" in page.body or "3000" in page.body
    # An editor rewords it; generating again without "replace" keeps the editor's wording.
    page.body = "<p>编辑修改过的公告。</p>"
    page.save_revision().publish()
    response = meixian_client.post(url("hr_announcement_generate", open_round.pk), follow=True)
    assert "This round already has an announcement" in response.content.decode()
    assert RoundAnnouncementPage.objects.get(round=open_round).body == "<p>编辑修改过的公告。</p>"
    # With "replace" the same page is rewritten; the edited wording stays in its history.
    meixian_client.post(url("hr_announcement_generate", open_round.pk), {"replace": "1"})
    page = RoundAnnouncementPage.objects.get(round=open_round)
    assert "编辑修改过的公告" not in page.body and "3,000" in page.body or "3000" in page.body
    assert any("编辑修改过的公告" in str(r.content.get("body")) for r in page.revisions.all())
    assert Page.objects.type(RecruitmentIndexPage).count() == 1
