"""An HR officer of 梅县区 (signed in with an authenticator code) reviews the applications of the
county's open round and confirms one applicant's eligibility."""

import pytest
from playwright.sync_api import expect

from accounts.choices import Role
from jobs.choices import ApplicationStatus
from jobs.models import Application
from jobs.services.applications import application_submit
from tests.accounts.helpers import give_totp, totp_code
from tests.factories import PASSWORD, user_with_role
from tests.jobs.builders import MEIXIAN, make_graduate, make_post, make_round, villages_of

from .conftest import E2E

pytestmark = E2E

MFA_CHALLENGE = "/zh-hans/accounts/2fa/authenticate/"


@pytest.fixture
def applications(regions):
    """Two applications to 梅县区's open round, from 李小梅 and 张伟."""
    round_ = make_round(MEIXIAN)
    posts = [make_post(round_, village) for village in villages_of(MEIXIAN)[:3]]
    made = {}
    for name in ("李小梅", "张伟"):
        graduate = make_graduate(real_name=name)
        made[name] = application_submit(
            user=graduate, round_=round_, post_ids=[p.pk for p in posts[:2]]
        )
    return round_, made


@pytest.fixture
def hr_signed_in(live_server, regions, page, sign_in):
    """``hr_signed_in()``: 梅县区's HR officer, signed in with password and authenticator code."""

    def go():
        officer = user_with_role(Role.HR_OFFICER, MEIXIAN)
        secret = give_totp(officer)
        login = f"{live_server.url}/zh-hans/accounts/login/"
        page.goto(login)
        page.locator("input[name=login]").fill(officer.email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("form:has(input[name=login]) [type=submit]").click()
        expect(page).to_have_url(f"{live_server.url}{MFA_CHALLENGE}")
        page.locator("input[name=code]").fill(totp_code(secret))
        page.locator("form:has(input[name=code]) [type=submit]:not([form])").click()
        page.wait_for_url(lambda url: MFA_CHALLENGE not in url)
        return officer

    return go


def _to_the_round(page, round_, assert_accessible) -> None:
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="招聘").click()
    expect(page.locator("h1")).to_have_text("招聘批次")
    assert_accessible(page)
    page.get_by_role("link", name=round_.name).click()
    expect(page.locator("h1")).to_have_text(round_.name)
    assert_accessible(page)


def test_hr_officer_confirms_the_eligibility_of_one_application(
    live_server, applications, hr_signed_in, page, assert_accessible
):
    base = live_server.url
    round_, made = applications
    hr_signed_in()
    _to_the_round(page, round_, assert_accessible)

    # The round's applications, by address (the link from the round page is tested below).
    page.goto(f"{base}/zh-hans/jobs/hr/rounds/{round_.pk}/applications/")
    expect(page.locator("h1")).to_have_text("报名")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(2)
    li, zhang = rows.filter(has_text="李小梅"), rows.filter(has_text="张伟")
    expect(li).to_contain_text("已提交")
    assert_accessible(page)

    # Tick one applicant and confirm.
    page.get_by_label("选择李小梅").check()
    page.get_by_role("button", name="确认所选报名资格审核通过").click()
    expect(page.locator(".messages .message--success")).to_have_text(
        "已确认 1 条报名资格审核通过。"
    )
    expect(li).to_contain_text("资格审核通过")
    expect(zhang).to_contain_text("已提交")
    # Only a submitted application can be ticked: 李小梅's box is gone, 张伟's is still there.
    expect(page.get_by_label("选择李小梅")).to_have_count(0)
    expect(page.get_by_label("选择张伟")).to_have_count(1)
    assert_accessible(page)
    assert Application.objects.get(pk=made["李小梅"].pk).status == ApplicationStatus.ELIGIBLE
    assert Application.objects.get(pk=made["张伟"].pk).status == ApplicationStatus.SUBMITTED

    # Her application's page: the new status, and the change in its history.
    li.get_by_role("link", name="李小梅").click()
    expect(page).to_have_url(f"{base}/zh-hans/jobs/hr/applications/{made['李小梅'].pk}/")
    expect(page.locator("main")).to_contain_text("资格审核通过")
    assert_accessible(page)


def test_hr_round_page_leads_to_its_applications(
    live_server, applications, hr_signed_in, page, assert_accessible
):
    round_, _made = applications
    hr_signed_in()
    _to_the_round(page, round_, assert_accessible)
    page.locator("main").get_by_role("link", name="报名", exact=True).click(timeout=2_000)
    expect(page).to_have_url(
        f"{live_server.url}/zh-hans/jobs/hr/rounds/{round_.pk}/applications/", timeout=2_000
    )
