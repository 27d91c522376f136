"""Public pages: open rounds, the post search (region, round, name; cached for anonymous
visitors; bounded queries), the post page with its JobPosting JSON-LD, and the CMS pages."""

import datetime
import json
import re

from django.urls import reverse
from django.utils import timezone, translation

from wagtail.models import Locale, Site

import pytest
from bs4 import BeautifulSoup

from cms.models import SiteSettings
from jobs.choices import RoundStage
from jobs.models import Post, PublicNoticePage, RoundAnnouncementPage
from jobs.services.announcements import round_announcement_generate
from jobs.services.posts import post_update
from jobs.services.rounds import round_advance
from tests.factories import region
from tests.jobs.builders import MEIXIAN, TIANHE, make_round, villages_of
from tests.training.builders import _minimal_home

TOWN = "441403001"


def url(name, *args, lang="en"):
    with translation.override(lang):
        return reverse(f"jobs:{name}", args=args)


@pytest.fixture
def posts(regions):
    """Posts in every village of 梅县区 (open round) and 天河区 (announced round), and posts of a
    draft and a closed round that the public never sees."""
    # The site's settings exist, as on a running site (their creation drops cached pages).
    SiteSettings.objects.get_or_create(site=Site.objects.get(is_default_site=True))
    meixian = make_round(MEIXIAN, stage=RoundStage.APPLICATIONS_OPEN, name="梅县区招聘")
    tianhe = make_round(TIANHE, stage=RoundStage.ANNOUNCED, name="天河区招聘")
    hidden_draft = make_round(MEIXIAN, stage=RoundStage.DRAFT, name="草稿批次")
    hidden_closed = make_round(TIANHE, stage=RoundStage.CLOSED, name="已结束批次")
    Post.objects.bulk_create(
        [
            Post(round=r, village=v, region_path=v.path, monthly_subsidy_fen=350000)
            for r, code in ((meixian, MEIXIAN), (tianhe, TIANHE))
            for v in villages_of(code)
        ]
        + [
            Post(round=hidden_draft, village=v, region_path=v.path)
            for v in villages_of(MEIXIAN)[:3]
        ]
        + [
            Post(round=hidden_closed, village=v, region_path=v.path)
            for v in villages_of(TIANHE)[:3]
        ]
    )
    return {"meixian": meixian, "tianhe": tianhe, "draft": hidden_draft, "closed": hidden_closed}


def result_ids(response) -> list[int]:
    return [p.pk for p in response.context["posts"]]


# --- rounds ------------------------------------------------------------------------------------------


def test_round_list_shows_announced_and_open_rounds_only(client, posts):
    html = client.get(url("round_list")).content.decode()
    assert "梅县区招聘" in html and "天河区招聘" in html
    assert "草稿批次" not in html and "已结束批次" not in html


def test_round_detail_404_for_draft_and_closed(client, posts):
    assert client.get(url("round_detail", posts["meixian"].pk)).status_code == 200
    assert client.get(url("round_detail", posts["draft"].pk)).status_code == 404
    assert client.get(url("round_detail", posts["closed"].pk)).status_code == 404


def test_round_detail_has_apply_link_when_open(client, posts):
    html = client.get(url("round_detail", posts["meixian"].pk)).content.decode()
    assert url("apply", posts["meixian"].pk) in html
    assert f"{url('post_list')}?round={posts['meixian'].pk}" in html


# --- the post search -----------------------------------------------------------------------------------


def test_search_by_region_means_the_region_and_everything_below(client, posts):
    meixian_villages = len(villages_of(MEIXIAN))
    tianhe_villages = len(villages_of(TIANHE))
    everything = client.get(url("post_list"))
    assert everything.context["count"] == meixian_villages + tianhe_villages
    assert client.get(url("post_list"), {"region": MEIXIAN}).context["count"] == meixian_villages
    town = client.get(url("post_list"), {"region": TOWN})
    assert town.context["count"] == len(villages_of(TOWN))
    assert {p.village.parent.name for p in town.context["posts"]} == {region(TOWN).name}
    # The city holds 梅县区; the province holds everything.
    assert client.get(url("post_list"), {"region": "441400"}).context["count"] == meixian_villages
    assert (
        client.get(url("post_list"), {"region": "440000"}).context["count"]
        == everything.context["count"]
    )


def test_search_by_round_and_by_village_or_township_name(client, posts):
    tianhe = client.get(url("post_list"), {"round": posts["tianhe"].pk})
    assert tianhe.context["count"] == len(villages_of(TIANHE))
    village = villages_of(MEIXIAN)[7]
    by_name = client.get(url("post_list"), {"q": village.name})
    assert village.pk in {p.village_id for p in by_name.context["posts"]}
    by_township = client.get(url("post_list"), {"q": region(TOWN).name[:3]})
    assert by_township.context["count"] >= len(villages_of(TOWN))
    assert all(
        p.region_path.startswith(region(TOWN).path) or region(TOWN).name[:3] in p.village.name
        for p in by_township.context["posts"]
    )
    # Draft and closed rounds never show, even when asked for.
    assert client.get(url("post_list"), {"round": posts["draft"].pk}).context["count"] == 0
    assert client.get(url("post_list"), {"round": posts["closed"].pk}).context["count"] == 0


def test_bad_parameters_say_so_and_find_nothing(client, posts):
    with translation.override("en"):
        response = client.get(url("post_list"), {"region": "999999", "round": "abc", "page": "x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is no region with the code 999999." in html
    assert "no open recruitment round with this number" in html
    assert response.context["count"] == 0
    long_q = client.get(url("post_list"), {"q": "村" * 500})
    assert long_q.status_code == 200 and len(long_q.context["q"]) == 30


def test_pages_of_25_in_place_order(client, posts):
    first = client.get(url("post_list"), {"region": MEIXIAN})
    assert len(first.context["posts"]) == 25
    second = client.get(url("post_list"), {"region": MEIXIAN, "page": 2})
    paths = [p.region_path for p in first.context["posts"] + second.context["posts"]]
    assert paths == sorted(paths)
    assert not set(result_ids(first)) & set(result_ids(second))
    html = first.content.decode()
    assert f"region={MEIXIAN}&amp;page=2" in html
    beyond = client.get(url("post_list"), {"region": MEIXIAN, "page": 9999})
    assert beyond.context["page"] == beyond.context["pages"]


def test_search_runs_a_bounded_number_of_queries(client, posts, django_assert_max_num_queries):
    # region, count, rows, region picker, rounds menu; the site shell's settings (2-3).
    with django_assert_max_num_queries(10):
        response = client.get(url("post_list"), {"region": MEIXIAN, "q": "村"})
    assert response.status_code == 200
    with django_assert_max_num_queries(10):
        client.get(url("post_list"), {"region": "440000", "page": 3})


def test_anonymous_searches_are_served_from_the_cache_until_a_post_changes(
    client, posts, hr_meixian, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    first = client.get(url("post_list"), {"region": MEIXIAN})
    assert first["X-Jobs-Cache"] == "miss"
    with django_assert_max_num_queries(0):
        again = client.get(url("post_list"), {"region": MEIXIAN})
    assert again["X-Jobs-Cache"] == "hit" and again.content == first.content
    # A change through the services drops the cached copies.
    post = Post.objects.filter(round=posts["meixian"]).order_by("region_path").first()
    with django_capture_on_commit_callbacks(execute=True):
        post_update(post=post, actor=hr_meixian, data={"title": "新的岗位名称"})
    fresh = client.get(url("post_list"), {"region": MEIXIAN})
    assert fresh["X-Jobs-Cache"] == "miss"
    assert "新的岗位名称" in fresh.content.decode()


def test_a_round_moving_on_drops_the_cache(
    client, posts, hr_meixian, django_capture_on_commit_callbacks
):
    client.get(url("post_list"), {"region": MEIXIAN})
    with django_capture_on_commit_callbacks(execute=True):
        round_advance(round=posts["meixian"], actor=hr_meixian)
    assert client.get(url("post_list"), {"region": MEIXIAN})["X-Jobs-Cache"] == "miss"


def test_signed_in_visitors_get_the_cached_search_inside_their_own_page(client, posts, graduate):
    anonymous = client.get(url("post_list"), {"region": MEIXIAN})
    client.force_login(graduate)
    client.get(url("post_list"), {"region": MEIXIAN})
    again = client.get(url("post_list"), {"region": MEIXIAN})
    assert again["X-Jobs-Cache"] == "hit" and again["Cache-Control"] == "private"
    soup = BeautifulSoup(again.content, "html.parser")
    assert str(soup.find("main")) == str(BeautifulSoup(anonymous.content, "html.parser").main)
    nav = [a.text for a in soup.select("nav.main-nav a")]
    assert "Sign out" in nav and "My graduate profile" in nav and "Sign in" not in nav


def result_count(response) -> int:
    """The number of posts found, as the page's results heading says it."""
    heading = BeautifulSoup(response.content, "html.parser").find(id="results-heading")
    return int(heading.text.split()[0].replace(",", ""))


def _post_queries(captured) -> list[str]:
    """The SQL of a request that read posts, rounds or regions (what the search itself costs)."""
    tables = ("jobs_post", "jobs_recruitmentround", "regions_region")
    return [
        q["sql"]
        for q in captured.captured_queries
        if any(f'FROM "{t}"' in q["sql"] for t in tables)
    ]


def test_signed_in_search_reuses_the_cached_results_and_stays_personal(client, posts, graduate):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(graduate)
    first = client.get(url("post_list"), {"region": MEIXIAN, "page": "2"})
    assert first.context["count"] == len(villages_of(MEIXIAN))
    with CaptureQueriesContext(connection) as captured:
        again = client.get(url("post_list"), {"region": MEIXIAN, "page": "2"})
    assert _post_queries(captured) == []
    assert result_count(again) == first.context["count"]
    html = again.content.decode()
    # The same results as the first time, inside this visitor's own page.
    soup, first_soup = (
        BeautifulSoup(html, "html.parser"),
        BeautifulSoup(first.content, "html.parser"),
    )
    assert str(soup.find("section")) == str(first_soup.find("section"))
    assert f"region={MEIXIAN}&amp;page=3" in html
    assert soup.find("input", attrs={"name": "region"})["value"] == MEIXIAN
    # Another search, another language: other results.
    other = client.get(url("post_list", lang="zh-hans"), {"region": TOWN})
    assert other.context["count"] == len(villages_of(TOWN))
    # The round menu marks the chosen round, from the cached list too.
    chosen = client.get(url("post_list"), {"round": posts["tianhe"].pk})
    again = BeautifulSoup(
        client.get(url("post_list"), {"round": posts["tianhe"].pk}).content, "html.parser"
    )
    assert chosen.context["count"] == len(villages_of(TIANHE))
    selected = again.select("#id_round option[selected]")
    assert [o["value"] for o in selected] == [str(posts["tianhe"].pk)]
    names = [o.text for o in again.select("#id_round option")]
    assert "梅县区招聘" in names and "天河区招聘" in names and "草稿批次" not in names


def test_signed_in_cached_results_are_dropped_when_a_post_is_added(
    client, posts, graduate, hr_meixian, django_capture_on_commit_callbacks
):
    from jobs.services.posts import post_create

    village = villages_of(TOWN)[0]
    Post.objects.filter(round=posts["meixian"], village=village).delete()
    client.force_login(graduate)
    before = client.get(url("post_list"), {"region": TOWN})
    assert before.context["count"] == len(villages_of(TOWN)) - 1
    assert "新设的岗位" not in before.content.decode()
    assert result_count(client.get(url("post_list"), {"region": TOWN})) == (
        len(villages_of(TOWN)) - 1
    )
    with django_capture_on_commit_callbacks(execute=True):
        post_create(
            round=posts["meixian"],
            actor=hr_meixian,
            data={"village": village, "title": "新设的岗位", "headcount": 1},
        )
    after = client.get(url("post_list"), {"region": TOWN})
    assert result_count(after) == len(villages_of(TOWN))
    assert "新设的岗位" in after.content.decode()


def test_signed_in_cached_round_menu_follows_the_rounds(
    client, posts, graduate, hr_meixian, django_capture_on_commit_callbacks
):
    client.force_login(graduate)
    soup = BeautifulSoup(client.get(url("post_list")).content, "html.parser")
    assert "梅县区招聘" in [o.text for o in soup.select("#id_round option")]
    round = posts["meixian"]
    while round.stage != RoundStage.CLOSED:
        with django_capture_on_commit_callbacks(execute=True):
            round_advance(round=round, actor=hr_meixian)
        round.refresh_from_db()
    soup = BeautifulSoup(client.get(url("post_list")).content, "html.parser")
    assert "梅县区招聘" not in [o.text for o in soup.select("#id_round option")]
    assert result_count(client.get(url("post_list"), {"region": MEIXIAN})) == 0


def test_signed_in_search_runs_a_bounded_number_of_queries(
    client, posts, graduate, django_assert_max_num_queries
):
    client.force_login(graduate)
    with django_assert_max_num_queries(12):
        assert client.get(url("post_list"), {"region": "440000", "page": 3}).status_code == 200
    with django_assert_max_num_queries(6):
        client.get(url("post_list"), {"region": "440000", "page": 3})


def test_the_page_works_on_a_phone(client, posts):
    html = client.get(url("post_list")).content.decode()
    assert 'name="viewport"' in html
    soup = BeautifulSoup(html, "html.parser")
    for field in soup.select("form[role=search] input[name], form[role=search] select"):
        if field.get("type") == "hidden":
            continue
        assert soup.find("label", attrs={"for": field["id"]}), field


# --- the post page and its JobPosting ---------------------------------------------------------------


def test_post_page_carries_a_valid_job_posting(client, posts):
    post = Post.objects.filter(round=posts["meixian"]).order_by("region_path").first()
    post.description = 'Evil </script><script>alert(1)</script> & "quotes"'
    post.max_age_by_level = {"bachelor": 30}
    post.save()
    response = client.get(url("post_detail", post.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "</script><script>alert(1)" not in html
    soup = BeautifulSoup(html, "html.parser")
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    data = json.loads(scripts[0].string)
    round = posts["meixian"]
    village = post.village
    assert data["@type"] == "JobPosting" and data["@context"] == "https://schema.org/"
    assert data["title"] == "Full-time operator of the public-service station"  # an /en/ page
    assert "alert(1)" in data["description"]  # kept as text, escaped in the page
    assert data["datePosted"] == timezone.localdate(post.created_at).isoformat()
    assert datetime.datetime.fromisoformat(data["validThrough"]) == round.applications_close_at
    assert data["employmentType"] == "FULL_TIME"
    assert data["hiringOrganization"]["name"].startswith("梅县区")
    address = data["jobLocation"]["address"]
    assert address["@type"] == "PostalAddress"
    assert address["addressRegion"] == "广东省"
    assert address["addressLocality"] == "梅州市梅县区"
    assert address["streetAddress"] == f"{village.parent.name}{village.name}"
    assert data["baseSalary"]["currency"] == "CNY"
    assert data["baseSalary"]["value"] == {
        "@type": "QuantitativeValue",
        "value": 3500.0,
        "unitText": "MONTH",
    }
    assert data["educationRequirements"]["credentialCategory"] == "associate degree"
    assert data["directApply"] is True


def test_post_page_404_for_hidden_rounds(client, posts):
    hidden = Post.objects.filter(round=posts["draft"]).first()
    assert client.get(url("post_detail", hidden.pk)).status_code == 404
    assert client.get(url("post_detail", 999999)).status_code == 404


def test_post_page_queries_are_bounded(client, posts, django_assert_max_num_queries):
    post = Post.objects.filter(round=posts["tianhe"]).first()
    # post with its place chain, majors; the site shell's settings (2-3).
    with django_assert_max_num_queries(8):
        assert client.get(url("post_detail", post.pk)).status_code == 200


# --- the CMS pages --------------------------------------------------------------------------------


def test_announcement_in_chinese_and_english_and_the_index_lists_it(client, posts, hr_meixian):
    home = _minimal_home()
    en, _created = Locale.objects.get_or_create(language_code="en")
    home_en = home.copy_for_translation(en)
    home_en.save_revision().publish()
    round = posts["meixian"]
    round.objection_contact = "0753-1234567"
    round.save()

    page = round_announcement_generate(round=round, actor=hr_meixian)

    assert page.live and round.name in page.title
    assert "0753-1234567" in page.body
    assert f"?round={round.pk}" in page.body
    assert "3,500" in page.body or "3500" in page.body
    english = RoundAnnouncementPage.objects.get(round=round, locale=en)
    assert english.live and english.title.startswith("Announcement")
    assert "How to apply" in english.body
    zh_html = client.get(page.url).content.decode()
    assert (
        round.name in zh_html and f"{url('post_list', lang='zh-hans')}?round={round.pk}" in zh_html
    )
    index_html = client.get(page.get_parent().url).content.decode()
    assert page.title in index_html
    # The round's public page links it.
    assert page.url in client.get(url("round_detail", round.pk, lang="zh-hans")).content.decode()


def test_public_notice_is_shown_only_from_its_opening_date(client, posts, hr_meixian):
    _minimal_home()
    index = round_announcement_generate(round=posts["meixian"], actor=hr_meixian).get_parent()
    today = timezone.localdate()
    entries = [
        {
            "name": "张*三",
            "village": "程江社区居委会",
            "township": "新城办事处街道",
            "post": "公共服务站专职操作员",
        }
    ]

    def notice(slug, opens_on):
        page = PublicNoticePage(
            title="拟聘用人员公示",
            slug=slug,
            round=posts["meixian"],
            opens_on=opens_on,
            ends_on=opens_on + datetime.timedelta(days=7),
            objection_contact="0753-7654321",
            entries=entries,
        )
        index.add_child(instance=page)
        page.save_revision().publish()
        return page

    later = notice("later", today + datetime.timedelta(days=2))
    html = client.get(later.url).content.decode()
    assert "张*三" not in html and "0753-7654321" in html
    assert re.search(r"not yet open|尚未", html)
    now_open = notice("open", today)
    html = client.get(now_open.url).content.decode()
    assert "张*三" in html and "程江社区居委会" in html and "公共服务站专职操作员" in html
    assert "0753-7654321" in html
