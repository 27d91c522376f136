"""An HR officer moves a placement on from the application's page: onboarded, in service, left."""

from django.urls import reverse
from django.utils import translation

import pytest

from accounts.choices import Role
from jobs.choices import ApplicationStatus, PlacementStatus, RoundStage
from jobs.models import Application, Placement
from jobs.services.placements import placement_transition
from tests.jobs.builders import make_post, make_round

from .helpers import MEIXIAN, accept_offer, make_application


def placed(meixian_villages, *, on_notice: bool):
    round_ = make_round(MEIXIAN, stage=RoundStage.OFFERS)
    post = make_post(round_, meixian_villages[0])
    application = make_application(round_, [post])
    accept_offer(application, post)
    placement = Placement.objects.get(offer__application=application)
    if on_notice:
        placement_transition(
            placement=placement, to_status=PlacementStatus.PUBLIC_NOTICE, actor=None
        )
    return application, placement


def move(client, application, status, reason="", language="zh-hans"):
    with translation.override(language):
        url = reverse("jobs:hr_application_detail", args=[application.pk])
    return client.post(url, {"action": "placement", "status": status, "reason": reason})


def test_the_officer_onboards_then_puts_in_service_then_records_leaving(
    client, hr_meixian, meixian_villages
):
    application, placement = placed(meixian_villages, on_notice=True)
    client.force_login(hr_meixian)
    with translation.override("zh-hans"):
        page = client.get(reverse("jobs:hr_application_detail", args=[application.pk]))
    assert "在岗" in page.content.decode() and 'value="onboarded"' in page.content.decode()

    assert move(client, application, PlacementStatus.ONBOARDED).status_code == 302
    assert move(client, application, PlacementStatus.IN_SERVICE).status_code == 302
    response = move(client, application, PlacementStatus.LEFT, reason="考取公务员")
    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.status, placement.end_reason) == (PlacementStatus.LEFT, "考取公务员")
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.LEFT
    assert (
        not type(application.applicant)
        .objects.get(pk=application.applicant_id)
        .has_role(Role.OPERATOR)
    )
    page = client.get(response["Location"]).content.decode()
    assert "离岗" in page and "考取公务员" in page
    assert 'name="status"' not in page  # nothing left to move


@pytest.mark.parametrize(
    ("on_notice", "status", "message"),
    [
        (True, PlacementStatus.LEFT, "Say why the person leaves the post."),
        (
            False,
            PlacementStatus.ONBOARDED,
            "Publish the public notice before the graduate is onboarded.",
        ),
    ],
    ids=["leaving without a reason", "onboarding before the public notice"],
)
def test_a_refused_move_says_why_and_changes_nothing(
    client, hr_meixian, meixian_villages, on_notice, status, message
):
    application, placement = placed(meixian_villages, on_notice=on_notice)
    client.force_login(hr_meixian)
    response = move(client, application, status, language="en")
    assert response.status_code == 422
    assert message in response.content.decode()
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.PUBLIC_NOTICE


def test_a_status_out_of_order_or_posted_twice_is_refused(client, hr_meixian, meixian_villages):
    application, placement = placed(meixian_villages, on_notice=True)
    client.force_login(hr_meixian)
    response = move(client, application, PlacementStatus.COMPLETED, language="en")
    assert response.status_code == 422  # not offered from "on public notice"
    assert move(client, application, PlacementStatus.ONBOARDED).status_code == 302
    again = move(client, application, PlacementStatus.ONBOARDED, language="en")
    assert again.status_code == 422
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.ONBOARDED
    assert application.events.filter(to_status=ApplicationStatus.ONBOARDED).count() == 1


def test_an_officer_of_another_county_cannot_see_or_move_it(client, hr_tianhe, meixian_villages):
    application, placement = placed(meixian_villages, on_notice=True)
    client.force_login(hr_tianhe)
    assert move(client, application, PlacementStatus.ONBOARDED).status_code == 404
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.PUBLIC_NOTICE
