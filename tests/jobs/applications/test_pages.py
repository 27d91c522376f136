"""The graduate's pages: apply in one form (no JavaScript needed), see the status and next step,
re-rank, withdraw, answer an offer; another user's application or offer is a 404."""

from django.core import mail
from django.urls import reverse
from django.utils import translation

import pytest

from accounts.choices import Role
from jobs.choices import ApplicationStatus, HometownRestriction, OfferStatus
from jobs.models import Application, Placement
from tests.factories import user_with_role
from tests.jobs.builders import MEIXIAN, make_graduate, make_post, villages_of

from .helpers import offered, submit


def url(name, *args, language="en"):
    with translation.override(language):
        return reverse(f"jobs:{name}", args=args)


@pytest.fixture
def signed_in(client, graduate):
    client.force_login(graduate)
    return client


def test_pages_need_sign_in(client, round_):
    response = client.get(url("apply", round_.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_apply_form_lists_posts_with_eligibility(signed_in, round_, posts):
    strict = make_post(round_, villages_of(MEIXIAN)[30], dialects=["teochew"])
    page = signed_in.get(url("apply", round_.pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert f'name="rank_{posts[0].pk}"' in html
    assert f'name="rank_{strict.pk}"' not in html  # not eligible: no rank to give
    assert "This post requires one of these dialects: Teochew; you have listed Hakka." in html
    assert "12 of 13 posts are open to you." in html


def test_apply_form_in_chinese(signed_in, round_, posts):
    page = signed_in.get(url("apply", round_.pk, language="zh-hans"))
    assert page.status_code == 200
    assert round_.name in page.content.decode()


def test_search_by_village_or_township(signed_in, round_, posts):
    village = posts[4].village
    page = signed_in.get(url("apply", round_.pk), {"q": village.name})
    html = page.content.decode()
    assert f'name="rank_{posts[4].pk}"' in html
    assert f'name="rank_{posts[0].pk}"' not in html or posts[0].village.name == village.name
    township = village.parent.name
    page = signed_in.get(url("apply", round_.pk), {"q": township})
    assert f'name="rank_{posts[4].pk}"' in page.content.decode()


def test_submit_by_rank_selects_then_rerank(
    signed_in, graduate, round_, posts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            url("apply", round_.pk),
            {f"rank_{posts[2].pk}": "1", f"rank_{posts[5].pk}": "3", f"rank_{posts[0].pk}": "2"},
        )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("application_detail", application.pk)
    assert [p.post_id for p in application.preferences.all()] == [
        posts[2].pk,
        posts[0].pk,
        posts[5].pk,
    ]
    assert len(mail.outbox) == 1
    detail = signed_in.get(response["Location"]).content.decode()
    assert "Submitted" in detail and posts[2].village.name in detail
    assert "Next step:" in detail
    # Re-rank on the same page.
    form = signed_in.get(url("apply", round_.pk)).content.decode()
    assert '<option value="1" selected>' in form
    signed_in.post(url("apply", round_.pk), {f"rank_{posts[7].pk}": "1"})
    assert [p.post_id for p in application.preferences.all()] == [posts[7].pk]


def test_form_errors_are_shown_and_nothing_saved(signed_in, round_, posts):
    response = signed_in.post(
        url("apply", round_.pk), {f"rank_{posts[1].pk}": "1", f"rank_{posts[2].pk}": "1"}
    )
    assert response.status_code == 400
    assert "You gave rank 1 to more than one post" in response.content.decode()
    response = signed_in.post(url("apply", round_.pk), {})
    assert "Choose at least one post" in response.content.decode()
    response = signed_in.post(url("apply", round_.pk), {f"rank_{posts[1].pk}": "9"})
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_a_crafted_rank_for_an_ineligible_post_is_refused(signed_in, round_, posts):
    strict = make_post(
        round_,
        villages_of(MEIXIAN)[30],
        hometown_restriction=HometownRestriction.SAME_CITY,
        dialects=["teochew"],
    )
    response = signed_in.post(url("apply", round_.pk), {f"rank_{strict.pk}": "1"})
    assert response.status_code == 400
    assert "This post requires one of these dialects" in response.content.decode()
    assert not Application.objects.exists()


def test_apply_without_a_profile_goes_to_the_profile_form(client, round_, posts):
    client.force_login(user_with_role(Role.GRADUATE))
    response = client.get(url("apply", round_.pk))
    assert response.status_code == 302
    assert response["Location"] == url("profile_edit")


def test_my_applications_lists_status_and_next_step(signed_in, graduate, round_, posts):
    submit(graduate, round_, posts[:2])
    html = signed_in.get(url("my_applications")).content.decode()
    assert round_.name in html and "Submitted" in html
    assert "You can change your ranking or withdraw until applications close" in html


def test_another_users_application_and_offer_are_404(client, graduate, round_, posts):
    offer = offered(graduate, round_, posts[:2])
    client.force_login(make_graduate())
    assert client.get(url("application_detail", offer.application_id)).status_code == 404
    assert client.post(url("application_withdraw", offer.application_id)).status_code == 404
    assert client.post(url("offer_accept", offer.pk)).status_code == 404
    assert client.post(url("offer_decline", offer.pk)).status_code == 404
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING


def test_withdraw_asks_for_confirmation_then_withdraws(signed_in, graduate, round_, posts):
    application = submit(graduate, round_, posts[:2])
    page = signed_in.get(url("application_withdraw", application.pk))
    assert "Withdrawing cannot be undone" in page.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    response = signed_in.post(url("application_withdraw", application.pk), {"reason": "家中有事"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    # A withdrawn application cannot be re-ranked: the form sends the graduate to the detail page.
    assert signed_in.get(url("apply", round_.pk)).status_code == 302


def test_offer_box_accept_and_accept_twice(signed_in, graduate, round_, posts):
    offer = offered(graduate, round_, posts[:2])
    detail = signed_in.get(url("application_detail", offer.application_id)).content.decode()
    assert "Reply by" in detail and url("offer_accept", offer.pk) in detail
    confirm = signed_in.get(url("offer_accept", offer.pk))
    assert confirm.status_code == 200
    response = signed_in.post(url("offer_accept", offer.pk), follow=True)
    assert "You have accepted the post" in response.content.decode()
    again = signed_in.post(url("offer_accept", offer.pk), follow=True)
    assert "You have already accepted this offer." in again.content.decode()
    assert Placement.objects.count() == 1
    detail = signed_in.get(url("application_detail", offer.application_id)).content.decode()
    assert "Your term runs from" in detail


def test_offer_decline_from_the_page(signed_in, graduate, round_, posts):
    offer = offered(graduate, round_, posts[:2])
    signed_in.post(url("offer_decline", offer.pk))
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED


def test_offer_after_deadline_from_the_page(signed_in, graduate, round_, posts):
    offer = offered(graduate, round_, posts[:2], deadline_in_days=-0.01)
    response = signed_in.post(url("offer_accept", offer.pk), follow=True)
    assert "This offer expired on" in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED


def test_apply_form_query_count_does_not_grow_with_posts(
    signed_in, round_, posts, meixian_villages, django_assert_max_num_queries
):
    with django_assert_max_num_queries(30) as few:
        signed_in.get(url("apply", round_.pk))
    for village in meixian_villages[12:60]:
        make_post(round_, village)
    with django_assert_max_num_queries(len(few)):
        page = signed_in.get(url("apply", round_.pk))
    assert page.content.decode().count('name="rank_') == 60


def test_my_applications_query_count_does_not_grow(
    signed_in, graduate, round_, posts, django_assert_max_num_queries
):
    from tests.jobs.builders import TIANHE, make_round

    offered(graduate, round_, posts[:2])
    with django_assert_max_num_queries(30) as few:
        signed_in.get(url("my_applications"))
    other = make_round(TIANHE)
    submit(graduate, other, [make_post(other, villages_of(TIANHE)[0])])
    with django_assert_max_num_queries(len(few)):
        signed_in.get(url("my_applications"))
