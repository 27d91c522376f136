"""Eligibility review: confirm, reject with a required reason, bulk confirm reporting every
application it could not confirm; only at the stages that allow it; all through
application_transition (timeline, audit, e-mail)."""

from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest

from accounts.choices import AuditAction
from accounts.models import AuditEvent
from jobs.choices import ApplicationStatus, RoundStage
from jobs.services.hr import eligibility_confirm, eligibility_confirm_bulk, eligibility_reject
from tests.jobs.builders import make_post, make_round

from .helpers import MEIXIAN, make_application


def detail(application):
    return reverse("jobs:hr_application_detail", args=[application.pk])


def test_confirm_records_the_event_the_audit_and_emails(
    hr_meixian, round_review, posts, django_capture_on_commit_callbacks
):
    application = make_application(round_review, posts)
    with django_capture_on_commit_callbacks(execute=True):
        eligibility_confirm(application=application, actor=hr_meixian)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ELIGIBLE
    assert application.reviewed_by == hr_meixian
    event = application.events.get()
    assert (event.from_status, event.to_status, event.actor) == (
        "submitted",
        "eligible",
        hr_meixian,
    )
    assert AuditEvent.objects.filter(
        action=AuditAction.STATUS_CHANGE, object_id=str(application.pk)
    ).exists()
    assert [m.to for m in mail.outbox] == [[application.applicant.email]]


def test_reject_requires_a_reason(hr_meixian, round_review, posts):
    application = make_application(round_review, posts)
    with pytest.raises(ValidationError) as exc:
        eligibility_reject(application=application, actor=hr_meixian, reason="   ")
    assert "reason" in exc.value.message_dict
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    eligibility_reject(application=application, actor=hr_meixian, reason="户籍不在梅县区")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert application.eligibility_reason == "户籍不在梅县区"
    assert application.events.get().reason == "户籍不在梅县区"


def test_a_rejection_can_be_corrected_but_a_scored_application_is_settled(
    hr_meixian, round_review, posts
):
    application = make_application(round_review, posts, status=ApplicationStatus.REJECTED)
    eligibility_confirm(application=application, actor=hr_meixian)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ELIGIBLE
    scored = make_application(round_review, posts, status=ApplicationStatus.SCORED)
    with pytest.raises(ValidationError):
        eligibility_reject(application=scored, actor=hr_meixian, reason="x")
    with pytest.raises(ValidationError):
        eligibility_confirm(application=scored, actor=hr_meixian)


@pytest.mark.parametrize(
    ("stage", "allowed"),
    [
        (RoundStage.ANNOUNCED, False),
        (RoundStage.APPLICATIONS_OPEN, True),
        (RoundStage.ELIGIBILITY_REVIEW, True),
        (RoundStage.SCORING, False),
        (RoundStage.MATCHING, False),
    ],
)
def test_review_only_while_applications_are_open_or_under_review(
    hr_meixian, meixian_villages, stage, allowed
):
    round_ = make_round(MEIXIAN, stage=stage)
    application = make_application(round_, [make_post(round_, meixian_villages[0])])
    if allowed:
        eligibility_confirm(application=application, actor=hr_meixian)
    else:
        with pytest.raises(ValidationError) as exc:
            eligibility_confirm(application=application, actor=hr_meixian)
        assert exc.value.code == "stage"


def test_bulk_confirm_reports_every_application_it_did_not_confirm(
    hr_meixian, round_review, posts, tianhe_round
):
    pending = [make_application(round_review, posts) for _ in range(3)]
    rejected = make_application(round_review, posts, status=ApplicationStatus.REJECTED)
    withdrawn = make_application(round_review, posts, status=ApplicationStatus.WITHDRAWN)
    elsewhere = make_application(tianhe_round, [])
    result = eligibility_confirm_bulk(
        round_=round_review,
        application_ids=[
            *(a.pk for a in pending),
            rejected.pk,
            withdrawn.pk,
            elsewhere.pk,
            "junk",
            pending[0].pk,
        ],
        actor=hr_meixian,
    )
    assert result.confirmed == [a.pk for a in pending]
    assert [pk for pk, _ in result.problems] == [rejected.pk, withdrawn.pk, elsewhere.pk]
    elsewhere.refresh_from_db()
    assert elsewhere.status == ApplicationStatus.SUBMITTED


def test_bulk_confirm_through_the_list(client, hr_meixian, round_review, posts):
    ok = make_application(round_review, posts)
    done = make_application(round_review, posts, status=ApplicationStatus.ELIGIBLE)
    client.force_login(hr_meixian)
    response = client.post(
        reverse("jobs:hr_eligibility", args=[round_review.pk]),
        {"applications": [ok.pk, done.pk], "query": "status=submitted"},
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith("?status=submitted")
    text = [str(m) for m in response.context["messages"]]
    assert any("1" in t for t in text)
    assert any(str(done.pk) in t for t in text)  # reported, not skipped silently
    ok.refresh_from_db()
    assert ok.status == ApplicationStatus.ELIGIBLE


def test_bulk_confirm_of_another_county_round_is_404(client, hr_tianhe, round_review, posts):
    application = make_application(round_review, posts)
    client.force_login(hr_tianhe)
    response = client.post(
        reverse("jobs:hr_eligibility", args=[round_review.pk]), {"applications": [application.pk]}
    )
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_bulk_confirm_with_nothing_selected_says_so(client, hr_meixian, round_review):
    client.force_login(hr_meixian)
    response = client.post(reverse("jobs:hr_eligibility", args=[round_review.pk]), follow=True)
    assert any("Select" in str(m) or "选择" in str(m) for m in response.context["messages"])


def test_detail_page_confirm_and_reject_forms(client, hr_meixian, round_review, posts):
    application = make_application(round_review, posts)
    client.force_login(hr_meixian)
    page = client.get(detail(application))
    assert page.status_code == 200
    html = page.content.decode()
    assert application.applicant.graduate_profile.id_number_masked in html
    response = client.post(detail(application), {"action": "reject", "reason": ""})
    assert response.status_code == 422
    assert response.context["reject_form"].errors["reason"]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    response = client.post(detail(application), {"action": "reject", "reason": "学历不符"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    response = client.post(detail(application), {"action": "confirm"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ELIGIBLE
    assert "学历不符" in client.get(detail(application)).content.decode()  # the timeline keeps it


def test_detail_page_of_another_county_is_404_and_non_hr_403(
    client, hr_tianhe, round_review, posts
):
    application = make_application(round_review, posts)
    client.force_login(hr_tianhe)
    assert client.post(detail(application), {"action": "confirm"}).status_code == 404
    client.force_login(application.applicant)
    assert client.get(detail(application)).status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
