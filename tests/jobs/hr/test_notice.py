"""The public notice (公示): masked names (张*三), no ID numbers anywhere on the page, opening on
its date, ending after N working days; applications move to PUBLIC_NOTICE."""

import datetime

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

import pytest

from jobs.choices import ApplicationStatus, RoundStage
from jobs.crypto import personal_decrypt
from jobs.models import Application, PublicNoticePage, RecruitmentIndexPage
from jobs.services.notices import name_mask, notice_generate, working_days_end
from tests.jobs.builders import make_post, make_round
from tests.training.builders import _minimal_home

from .helpers import MEIXIAN, accept_offer, make_application


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三丰", "张*丰"),
        ("王五", "王*"),
        ("欧阳小明", "欧*明"),  # one star whatever the length: the mask does not tell it
        ("阿卜杜热合曼·买买提", "阿*提"),
        ("张", "张*"),
        (" 李 小 梅 ", "李*梅"),
        ("John Smith", "J*h"),
        ("", ""),
    ],
)
def test_name_mask(name, masked):
    assert name_mask(name) == masked


@pytest.mark.parametrize(
    ("start", "days", "end"),
    [
        (datetime.date(2026, 6, 1), 5, datetime.date(2026, 6, 5)),  # Monday → Friday
        (datetime.date(2026, 6, 4), 5, datetime.date(2026, 6, 10)),  # Thursday → Wednesday
        (datetime.date(2026, 6, 6), 5, datetime.date(2026, 6, 12)),  # Saturday: starts Monday
        (datetime.date(2026, 6, 1), 1, datetime.date(2026, 6, 1)),
        (datetime.date(2026, 6, 5), 7, datetime.date(2026, 6, 15)),
    ],
)
def test_working_days_end(start, days, end):
    assert working_days_end(start, days) == end


@pytest.fixture
def home(db):
    return _minimal_home()


@pytest.fixture
def offers_round(meixian_villages, home):
    round_ = make_round(
        MEIXIAN,
        stage=RoundStage.OFFERS,
        notice_working_days=5,
        objection_contact="梅县区人社局 0753-1234567",
    )
    posts = [make_post(round_, v) for v in meixian_villages[:3]]
    accepted = [
        make_application(round_, [posts[0]], real_name="张三丰"),
        make_application(round_, [posts[1]], real_name="王五"),
        make_application(round_, [posts[2]], real_name="欧阳小明"),
    ]
    offers = [accept_offer(a, p) for a, p in zip(accepted, posts, strict=True)]
    pending = make_application(
        round_, [posts[0]], real_name="未录用", status=ApplicationStatus.OFFERED
    )
    return round_, accepted, offers, pending


def test_notice_lists_masked_names_and_no_id_numbers(client, hr_meixian, offers_round):
    round_, accepted, offers, pending = offers_round
    monday = datetime.date(2026, 6, 1)
    today = timezone.localdate()
    page = notice_generate(round_=round_, actor=hr_meixian, opens_on=min(today, monday))
    assert isinstance(page.get_parent().specific, RecruitmentIndexPage)
    assert page.live
    assert {e["name"] for e in page.entries} == {"张*丰", "王*", "欧*明"}
    assert set(page.entries[0]) == {"name", "village", "township", "post"}
    assert page.objection_contact == "梅县区人社局 0753-1234567"
    assert page.ends_on == working_days_end(page.opens_on, 5)
    assert [Application.objects.get(pk=a.pk).status for a in accepted] == ["public_notice"] * 3
    assert Application.objects.get(pk=pending.pk).status == "offered"

    html = client.get(page.url).content.decode()
    assert "张*丰" in html and "欧*明" in html
    assert offers[0].post.village.name in html
    for a in [*accepted, pending]:
        profile = a.applicant.graduate_profile
        full = personal_decrypt(profile.id_number_encrypted)
        assert full not in html
        assert profile.id_number_masked not in html
        assert full[:6] + "*" not in html
        assert profile.real_name not in html
    assert "未录用" not in html and "未*用" not in html


def test_notice_before_its_opening_day_shows_no_names(client, hr_meixian, offers_round):
    round_ = offers_round[0]
    opens = timezone.localdate() + datetime.timedelta(days=3)
    page = notice_generate(round_=round_, actor=hr_meixian, opens_on=opens)
    html = client.get(page.url).content.decode()
    assert "张*丰" not in html
    assert opens.isoformat() in html


def test_second_notice_lists_only_people_added_since(hr_meixian, offers_round, meixian_villages):
    round_ = offers_round[0]
    notice_generate(round_=round_, actor=hr_meixian)
    with pytest.raises(ValidationError):
        notice_generate(round_=round_, actor=hr_meixian)
    post = make_post(round_, meixian_villages[5])
    late = make_application(round_, [post], real_name="递补人")
    accept_offer(late, post)
    second = notice_generate(round_=round_, actor=hr_meixian)
    assert [e["name"] for e in second.entries] == ["递*人"]
    assert PublicNoticePage.objects.filter(round=round_).count() == 2
    assert RecruitmentIndexPage.objects.count() == 1


def test_notice_needs_the_right_stage_a_contact_and_sane_dates(hr_meixian, offers_round):
    round_ = offers_round[0]
    round_.stage = RoundStage.SCORING
    round_.save()
    with pytest.raises(ValidationError) as exc:
        notice_generate(round_=round_, actor=hr_meixian)
    assert exc.value.code == "stage"
    round_.stage = RoundStage.OFFERS
    round_.objection_contact = ""
    round_.save()
    with pytest.raises(ValidationError) as exc:
        notice_generate(
            round_=round_,
            actor=hr_meixian,
            opens_on=datetime.date(2026, 6, 10),
            ends_on=datetime.date(2026, 6, 1),
        )
    assert set(exc.value.message_dict) == {"ends_on", "objection_contact"}
    assert not PublicNoticePage.objects.exists()


def test_notice_page_through_the_hr_screen(client, hr_meixian, hr_tianhe, offers_round):
    round_ = offers_round[0]
    url = reverse("jobs:hr_notice_generate", args=[round_.pk])
    client.force_login(hr_tianhe)
    assert client.get(url).status_code == 404
    client.force_login(hr_meixian)
    page = client.get(url)
    assert "张三丰" in page.content.decode()  # HR sees who will be listed
    response = client.post(
        url, {"opens_on": "2026-06-01", "ends_on": "", "objection_contact": "0753-1234567"}
    )
    assert response.status_code == 302
    notice = PublicNoticePage.objects.get()
    assert (notice.opens_on, notice.ends_on) == (
        datetime.date(2026, 6, 1),
        datetime.date(2026, 6, 5),
    )
    assert notice.objection_contact == "0753-1234567"


def test_notice_is_published_in_english_too_with_the_same_list(client, hr_meixian, offers_round):
    from wagtail.models import Locale

    from cms.models import HomePage

    round_ = offers_round[0]
    english = Locale.objects.get_or_create(language_code="en")[0]
    HomePage.objects.get().copy_for_translation(english).save_revision().publish()

    page = notice_generate(round_=round_, actor=hr_meixian, opens_on=timezone.localdate())
    translated = PublicNoticePage.objects.get(translation_key=page.translation_key, locale=english)
    assert translated.live
    assert translated.title == f"Public notice of the people to be hired: {round_.name}"
    assert translated.entries == page.entries
    html = client.get(translated.url).content.decode()
    assert translated.url.startswith("/en/")
    assert "are proposed for appointment as operators" in html
    assert "张*丰" in html and "张三丰" not in html
    assert "公示" in client.get(page.url).content.decode()
