"""The profile pages on the web: create, view, privacy notice, navigation."""

from django.urls import reverse
from django.utils import translation

from core.navigation import navigation_for
from jobs.models import ConsentRecord, GraduateProfile, University
from tests.jobs.builders import make_graduate, make_id_number


def form_post(village, **overrides) -> dict:
    data = {
        "real_name": "王小明",
        "id_number": make_id_number(village.code[:6]),
        "phone": "138 0013 8000",
        "hometown": village.code,
        "university": "",
        "university_other": "湖南大学",
        "education_level": "bachelor",
        "full_time": "on",
        "major": "080901",
        "graduation_year": "2025",
        "political_status": "cyl_member",
        "dialects": ["hakka"],
        "privacy_notice_acknowledged": "on",
        "sensitive_consent": "on",
    }
    data.update(overrides)
    return data


def test_without_a_profile_the_graduate_is_sent_to_create_one(client, graduate_user):
    client.force_login(graduate_user)
    response = client.get(reverse("jobs:profile"))
    assert response["Location"] == reverse("jobs:profile_edit")
    page = client.get(reverse("jobs:profile_edit"))
    assert page.status_code == 200
    html = page.content.decode()
    # The consents are there, unticked.
    assert 'name="sensitive_consent"' in html
    assert 'name="sensitive_consent" id="id_sensitive_consent" checked' not in html
    assert reverse("jobs:privacy_notice") in html
    assert "嘉应学院" in html  # the university picker
    assert "计算机类" in html or "080901" in html  # the major select
    assert "region-picker" in html or 'name="hometown"' in html


def test_creating_a_profile_through_the_form(client, graduate_user, village):
    client.force_login(graduate_user)
    data = form_post(village)
    response = client.post(reverse("jobs:profile_edit"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    profile = GraduateProfile.objects.get(user=graduate_user)
    assert profile.phone == "13800138000"
    assert profile.university is None
    assert profile.university_other == "湖南大学"
    page = client.get(reverse("jobs:profile")).content.decode()
    assert profile.id_number_masked in page
    assert data["id_number"] not in page
    assert "no-store" in client.get(reverse("jobs:profile"))["Cache-Control"]

    # Editing shows no consent boxes any more and keeps the number when left empty.
    edit = client.get(reverse("jobs:profile_edit")).content.decode()
    assert 'name="sensitive_consent"' not in edit
    assert profile.id_number_masked in edit
    data = form_post(village, id_number="", phone="13900139000", university="")
    del data["sensitive_consent"], data["privacy_notice_acknowledged"]
    assert client.post(reverse("jobs:profile_edit"), data).status_code == 302
    profile.refresh_from_db()
    assert profile.phone == "13900139000"


def test_the_form_shows_errors_and_saves_nothing_without_consent(client, graduate_user, village):
    client.force_login(graduate_user)
    data = form_post(village, id_number="441403202302309231")
    del data["sensitive_consent"]
    response = client.post(reverse("jobs:profile_edit"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "does not exist" in html
    assert "separate consent" in html
    assert not GraduateProfile.objects.exists()
    assert not ConsentRecord.objects.exists()


def test_university_from_the_list(client, graduate_user, village):
    client.force_login(graduate_user)
    university = University.objects.get(name="嘉应学院")
    data = form_post(village, university=str(university.pk), university_other="")
    assert client.post(reverse("jobs:profile_edit"), data).status_code == 302
    assert GraduateProfile.objects.get().university == university


def test_anonymous_is_sent_to_sign_in(client, db):
    for name in ("jobs:profile", "jobs:profile_edit", "jobs:account_delete"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_privacy_notice_in_both_languages(client, db, settings):
    page = client.get(reverse("jobs:privacy_notice"))
    assert page.status_code == 200
    assert settings.PRIVACY_NOTICE_VERSION in page.content.decode()
    with translation.override("en"):
        url = reverse("jobs:privacy_notice")
    english = client.get(url).content.decode()
    assert "What we collect" in english
    assert "Your rights" in english
    assert "180" in english or str(settings.AUDIT_RETENTION_DAYS) in english


def test_navigation_offers_the_profile_to_graduates_only(regions, hr_meixian):
    with translation.override("zh-hans"):
        graduate_nav = [item["name"] for item in navigation_for(make_graduate())]
        hr_nav = [item["name"] for item in navigation_for(hr_meixian)]
    assert "jobs:profile" in graduate_nav
    assert "jobs:profile" not in hr_nav
