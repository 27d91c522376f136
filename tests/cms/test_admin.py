"""The content admin (Wagtail) for training editors: in Chinese, behind MFA, pages editable."""

from django.urls import reverse

from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

import pytest
from bs4 import BeautifulSoup

from accounts.choices import Role
from cms.models import NewsPage, StandardPage
from regions.services import regions_import
from tests.cms.support import mfa_enable
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

PROVINCE_ONLY = "code,name,level,parent_code\n440000,广东省,province,\n".encode()


@pytest.fixture
def editor():
    """A training editor for the whole province, as the demo's editor@demo.gd.cn, with MFA set up."""
    regions_import(source=PROVINCE_ONLY)
    user = user_with_role(Role.TRAINING_EDITOR, "440000", full_name="林培训")
    mfa_enable(user)
    return user


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_admin_dashboard_is_in_chinese_for_an_editor(client, editor, demo_pages):
    client.force_login(editor)

    response = client.get("/zh-hans/admin/")

    assert response.status_code == 200
    html = soup(response)
    assert html.html["lang"] == "zh-hans"
    assert "控制面板" in html.title.get_text()  # Wagtail's zh-hans for "Dashboard"
    assert "Dashboard" not in html.title.get_text()


def test_admin_dashboard_is_in_english_under_en(client, editor, demo_pages):
    client.force_login(editor)

    response = client.get("/en/admin/")

    assert response.status_code == 200
    assert soup(response).html["lang"] == "en"
    assert "Dashboard" in soup(response).title.get_text()


def test_admin_sends_anonymous_visitors_to_the_platform_login(client, demo_pages):
    response = client.get("/zh-hans/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/zh-hans/accounts/login/")
    # Wagtail's own login form is not a second door: it redirects to allauth's.
    own_login = client.get("/zh-hans/admin/login/")
    assert own_login.status_code == 302
    assert own_login["Location"].startswith("/zh-hans/accounts/login/")


def test_admin_asks_an_editor_without_mfa_to_set_it_up_first(client, demo_pages):
    regions_import(source=PROVINCE_ONLY)
    editor = user_with_role(Role.TRAINING_EDITOR, "440000")
    client.force_login(editor)

    response = client.get("/zh-hans/admin/")

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_editor_opens_the_page_editor(client, editor, demo_pages):
    page = NewsPage.objects.get(slug="platform-launch", locale__language_code="zh-hans")
    client.force_login(editor)

    response = client.get(f"/zh-hans/admin/pages/{page.id}/edit/")

    assert response.status_code == 200
    assert soup(response).html["lang"] == "zh-hans"
    form = soup(response).select_one("form#page-edit-form")
    assert form is not None
    assert form.select_one('input[name="title"]')["value"] == "乡村数字人才平台上线试运行"


def test_editor_edits_and_publishes_a_page_and_visitors_see_it_at_once(client, editor, demo_pages):
    """Publishing from the admin updates the public page, even if a visitor's copy was cached."""
    page = StandardPage.objects.get(slug="about", locale__language_code="zh-hans")
    visitor = client.__class__()
    assert visitor.get("/zh-hans/about/")["X-Page-Cache"] == "miss"
    assert visitor.get("/zh-hans/about/")["X-Page-Cache"] == "hit"
    client.force_login(editor)
    edit_url = f"/zh-hans/admin/pages/{page.id}/edit/"
    form = querydict_from_html(client.get(edit_url).content.decode(), form_id="page-edit-form")
    form["title"] = "关于平台（修订）"
    form["action-publish"] = "action-publish"
    # The body is a StreamField, drawn by the browser: its form data is built here.
    form.update(
        nested_form_data({"body": streamfield([("paragraph", rich_text("<p>修订后的介绍。</p>"))])})
    )

    response = client.post(edit_url, form)

    assert response.status_code == 302, soup(response).select(".error-message")
    page.refresh_from_db()
    assert page.live and page.title == "关于平台（修订）"
    public = visitor.get("/zh-hans/about/")
    assert public["X-Page-Cache"] == "miss"
    assert soup(public).h1.get_text(strip=True) == "关于平台（修订）"
    assert "修订后的介绍。" in soup(public).select_one(".rich-text").get_text()


def test_editor_can_translate_pages_and_change_site_settings(editor, demo_pages):
    page = NewsPage.objects.get(slug="platform-launch", locale__language_code="zh-hans")

    permissions = page.permissions_for_user(editor)

    assert permissions.can_edit()
    assert permissions.can_publish()
    assert editor.has_perm("simple_translation.submit_translation")
    assert editor.has_perm("cms.change_sitesettings")


def test_a_cadre_cannot_enter_the_admin(client, demo_pages):
    cadre = user_with_role(Role.CADRE)
    client.force_login(cadre)

    response = client.get("/zh-hans/admin/")

    assert response.status_code == 302
    assert not response["Location"].startswith("/zh-hans/admin/")
