"""Signing up, signing in, and the doors that lead to them."""

import re
from urllib.parse import quote, urlsplit

from playwright.sync_api import expect

from tests.factories import PASSWORD, Role, user_with_role

from .conftest import E2E

pytestmark = E2E

MFA_SETUP = "/zh-hans/accounts/2fa/totp/activate/"
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/[-:\w]+/")


def test_graduate_signs_up_confirms_email_and_sees_dashboard(
    live_server, site, page, mailoutbox, sign_in, assert_accessible
):
    base = live_server.url
    email = "new.graduate@example.gd.cn"
    # The dashboard lists the roles; self sign-up gives exactly one, graduate.
    graduate_role = page.locator("main li").filter(
        has_text=re.compile(r"^\s*(高校毕业生|Graduate)\s*$")
    )

    page.goto(f"{base}/zh-hans/accounts/signup/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    assert_accessible(page)
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("form:has(input[name=password2]) [type=submit]").click()

    # Told to check the mailbox.
    expect(page).to_have_url(f"{base}/zh-hans/accounts/confirm-email/")
    assert_accessible(page)

    # The mail was sent from the server thread after its transaction committed (eager Celery).
    assert [m.to for m in mailoutbox] == [[email]], [m.subject for m in mailoutbox]
    message = mailoutbox[0]
    assert message.subject.startswith("【乡村数字人才平台】")
    links = CONFIRM_LINK.findall(message.body)
    assert len(links) == 1, message.body
    link = urlsplit(links[0])
    assert link.path.startswith("/zh-hans/accounts/confirm-email/"), (
        "mail should keep the sign-up language"
    )

    page.goto(f"{base}{link.path}")
    assert_accessible(page)
    page.locator("main form [type=submit]").click()

    # Confirmed in the browser that signed up: signed in, on the graduate's dashboard.
    expect(page).to_have_url(f"{base}/zh-hans/me/")
    expect(graduate_role).to_have_count(1)
    assert_accessible(page)

    # Signing out and in again leads to the same dashboard.
    page.goto(f"{base}/zh-hans/accounts/logout/")
    page.locator("main form [type=submit]").click()
    expect(page.locator('header a[href="/zh-hans/accounts/login/"]')).to_be_visible()
    sign_in(page, email, PASSWORD)
    expect(page).to_have_url(f"{base}/zh-hans/me/")
    expect(graduate_role).to_have_count(1)


def test_hr_officer_without_authenticator_is_sent_to_set_one_up(
    live_server, regions, page, sign_in, assert_accessible
):
    base = live_server.url
    officer = user_with_role(Role.HR_OFFICER, "441403")

    sign_in(page, officer.email, PASSWORD)

    # Every page leads to the authenticator set-up, which allauth guards with a password check.
    expect(page).to_have_url(
        f"{base}/zh-hans/accounts/reauthenticate/?next={quote(MFA_SETUP, safe='')}"
    )
    # with a message saying why.
    expect(page.locator(".messages .message--warning")).to_be_visible()
    assert_accessible(page)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()

    expect(page).to_have_url(f"{base}{MFA_SETUP}")
    # The secret to scan, and a field for the first code.
    expect(page.locator("main img")).to_be_visible()
    expect(page.locator("input[name=code]")).to_be_visible()
    assert_accessible(page)

    # Going elsewhere does not get around it.
    page.goto(f"{base}/zh-hans/me/")
    expect(page).to_have_url(f"{base}{MFA_SETUP}")


def test_wagtail_admin_sends_visitors_to_the_sign_in_page(live_server, page, assert_accessible):
    page.goto(f"{live_server.url}/zh-hans/admin/")

    url = urlsplit(page.url)
    assert url.path == "/zh-hans/accounts/login/", page.url
    assert "next=%2Fzh-hans%2Fadmin%2F" in url.query or "next=/zh-hans/admin/" in url.query, (
        page.url
    )
    # allauth's form (e-mail "login" field), not Wagtail's own (username field).
    expect(page.locator("input[name=login]")).to_be_visible()
    expect(page.locator("input[name=username]")).to_have_count(0)
    assert_accessible(page)
