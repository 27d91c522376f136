"""The graduate's pages: apply in one form (no JavaScript needed), see the status and next step,
re-rank, withdraw, answer an offer; another user's application or offer is a 404."""

import datetime

from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

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


def pick(post) -> str:
    return f'name="pick" value="{post.pk}"'


def add(client, round_, *posts, chosen=()):
    """Tick `posts` in the list and add them to the `chosen` ones, as the list's form does (it
    carries the choices so far in hidden fields, and them in its address)."""
    query = f"?chosen={'-'.join(str(p.pk) for p in chosen)}" if chosen else ""
    return client.post(
        url("apply", round_.pk) + query,
        {"action": "add", "pick": [p.pk for p in posts], **choose(*chosen)},
    )


def choose(*posts) -> dict:
    return {f"choice_{n}": p.pk for n, p in enumerate(posts, start=1)}


def test_apply_form_lists_eligible_posts_and_the_others_with_reasons(signed_in, round_, posts):
    strict = make_post(round_, villages_of(MEIXIAN)[30], dialects=["teochew"])
    page = signed_in.get(url("apply", round_.pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert all(pick(p) in html for p in posts)
    assert pick(strict) not in html and strict.village.name not in html  # not eligible: not listed
    assert "12 of 13 posts are open to you." in html
    link = url("apply", round_.pk) + "?show=ineligible"
    assert 'href="?show=ineligible"' in html
    assert "Show the 1 posts you are not eligible for, and why" in html or (
        "Show the post you are not eligible for, and why" in html
    )
    # The other list: the ineligible post with the reason, nothing to tick.
    html = signed_in.get(link).content.decode()
    assert strict.village.name in html
    assert "This post requires one of these dialects: Teochew; you have listed Hakka." in html
    assert 'name="pick"' not in html
    assert posts[0].village.name not in html


def test_apply_form_in_chinese(signed_in, round_, posts):
    page = signed_in.get(url("apply", round_.pk, language="zh-hans"))
    assert page.status_code == 200
    assert round_.name in page.content.decode()


def test_search_by_village_or_township(signed_in, round_, posts):
    village = posts[4].village
    page = signed_in.get(url("apply", round_.pk), {"q": village.name})
    html = page.content.decode()
    assert pick(posts[4]) in html
    assert pick(posts[0]) not in html or posts[0].village.name == village.name
    township = village.parent.name
    page = signed_in.get(url("apply", round_.pk), {"q": township})
    assert pick(posts[4]) in page.content.decode()
    page = signed_in.get(url("apply", round_.pk), {"q": "不存在的村"})
    assert "No post matches your search." in page.content.decode()


def test_township_filter_lists_that_townships_posts_with_counts(signed_in, round_, posts):
    township = posts[-1].village.parent
    inside = [p for p in posts if p.village.parent_id == township.pk]
    html = signed_in.get(url("apply", round_.pk)).content.decode()
    assert f'<option value="{township.code}">{township.name} ({len(inside)})</option>' in html
    html = signed_in.get(url("apply", round_.pk), {"township": township.code}).content.decode()
    assert all(pick(p) in html for p in inside)
    assert not any(pick(p) in html for p in posts if p not in inside)


def test_posts_are_listed_forty_to_a_page(signed_in, round_, posts, meixian_villages):
    for village in meixian_villages[12:60]:
        make_post(round_, village)
    first = signed_in.get(url("apply", round_.pk)).content.decode()
    assert first.count('name="pick"') == 40
    assert "Page 1 of 2" in first and 'href="?page=2" rel="next"' in first
    second = signed_in.get(url("apply", round_.pk), {"page": "2"}).content.decode()
    assert second.count('name="pick"') == 20
    assert signed_in.get(url("apply", round_.pk), {"page": "x"}).status_code == 200
    assert signed_in.get(url("apply", round_.pk), {"page": "99"}).status_code == 200


def test_choose_then_rank_then_submit_then_rerank(
    signed_in, graduate, round_, posts, django_capture_on_commit_callbacks
):
    # Ticking posts adds them to the choices, kept in the page's address; nothing is saved.
    response = add(signed_in, round_, posts[2], posts[5])
    assert response.status_code == 302
    chosen = f"chosen={posts[2].pk}-{posts[5].pk}"
    assert response["Location"] == f"{url('apply', round_.pk)}?{chosen}#choices"
    # More from another township or page: the choices made so far come along.
    response = add(signed_in, round_, posts[0], chosen=[posts[2], posts[5]])
    query = f"?chosen={posts[2].pk}-{posts[5].pk}-{posts[0].pk}"
    assert response["Location"] == f"{url('apply', round_.pk)}{query}#choices"
    assert not Application.objects.exists()
    form = signed_in.get(url("apply", round_.pk) + query).content.decode()
    # Three numbered selects, each listing only the chosen posts; chosen posts are not ticked again.
    assert form.count('<select id="choice_') == 3
    assert form.count(f'<option value="{posts[2].pk}"') == 3
    assert f'<option value="{posts[1].pk}"' not in form
    assert pick(posts[2]) not in form and "Choice 1" in form
    # The filter form keeps the choices too.
    assert f'<input type="hidden" name="chosen" value="{query[8:]}">' in form

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            url("apply", round_.pk) + query, choose(posts[2], posts[0], posts[5])
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
    # Re-rank on the same page: it opens with the saved ranking.
    form = signed_in.get(url("apply", round_.pk)).content.decode()
    assert "Change your ranking" in form
    assert f'<option value="{posts[2].pk}" selected>' in form
    signed_in.post(url("apply", round_.pk), choose(posts[7]))
    assert [p.post_id for p in application.preferences.all()] == [posts[7].pk]
    assert len(mail.outbox) == 1


def test_a_second_submission_changes_the_ranking_not_a_second_application(signed_in, round_, posts):
    signed_in.post(url("apply", round_.pk), choose(posts[0], posts[1]))
    response = signed_in.post(url("apply", round_.pk), choose(posts[0], posts[1]))
    assert response.status_code == 302
    assert Application.objects.count() == 1
    assert [p.post_id for p in Application.objects.get().preferences.all()] == [
        posts[0].pk,
        posts[1].pk,
    ]


def test_submitting_with_ticked_posts_adds_them_for_ranking_first(signed_in, round_, posts):
    response = signed_in.post(
        url("apply", round_.pk), {"action": "submit", "pick": [posts[3].pk, posts[1].pk]}
    )
    assert response.status_code == 302
    assert f"chosen={posts[3].pk}-{posts[1].pk}" in response["Location"]
    assert not Application.objects.exists()
    page = signed_in.get(response["Location"]).content.decode()
    assert "The ticked posts are added to your choices: check their order, then submit." in page


def test_a_choice_set_to_dash_is_dropped(signed_in, round_, posts):
    query = f"?chosen={posts[0].pk}-{posts[1].pk}"
    response = signed_in.post(
        url("apply", round_.pk) + query,
        {"action": "add", "choice_1": "", "choice_2": posts[1].pk},
    )
    assert response["Location"].endswith(f"?chosen={posts[1].pk}#choices")


def test_form_errors_are_shown_and_nothing_saved(signed_in, round_, posts):
    response = signed_in.post(url("apply", round_.pk), choose(posts[1], posts[1]))
    assert response.status_code == 400
    html = response.content.decode()
    assert f"You chose {posts[1].village.name} more than once" in html
    assert 'role="alert" id="form-errors"' in html
    response = signed_in.post(url("apply", round_.pk), {})
    assert response.status_code == 400
    assert "Choose at least one post" in response.content.decode()
    response = signed_in.post(url("apply", round_.pk), {"choice_1": "999999"})
    assert response.status_code == 400
    assert "Choice 1 is not a post of this round." in response.content.decode()
    response = signed_in.post(url("apply", round_.pk), {"choice_1": "abc"})
    assert response.status_code == 400
    # More than the round allows (5), counting the ticked ones.
    response = add(signed_in, round_, *posts[:6])
    assert response.status_code == 400
    html = response.content.decode()
    assert "This round allows at most 5 choices; you have 6." in html
    assert f'{pick(posts[5])} id="pick-{posts[5].pk}" checked' in html  # the ticks are kept
    assert not Application.objects.exists()


def test_a_crafted_choice_of_an_ineligible_post_is_refused(signed_in, round_, posts):
    strict = make_post(
        round_,
        villages_of(MEIXIAN)[30],
        hometown_restriction=HometownRestriction.SAME_CITY,
        dialects=["teochew"],
    )
    response = signed_in.post(url("apply", round_.pk), {"choice_1": strict.pk})
    assert response.status_code == 400
    assert "This post requires one of these dialects" in response.content.decode()
    # Ticking it is ignored: only the posts offered in the list can be added.
    response = add(signed_in, round_, strict)
    assert response["Location"].endswith("?chosen=#choices")
    assert not Application.objects.exists()


def test_closed_window_shows_the_ranking_without_buttons_and_refuses_posts(
    signed_in, graduate, round_, posts
):
    submit(graduate, round_, posts[:2])
    round_.applications_close_at = timezone.now() - datetime.timedelta(minutes=1)
    round_.save(update_fields=["applications_close_at"])
    page = signed_in.get(url("apply", round_.pk)).content.decode()
    assert "Applications to this round are not open." in page
    assert 'name="pick"' not in page and "Save my ranking" not in page
    response = signed_in.post(url("apply", round_.pk), choose(posts[3]))
    assert response.status_code == 400
    application = Application.objects.get()
    assert [p.post_id for p in application.preferences.all()] == [posts[0].pk, posts[1].pk]


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
    signed_in, graduate, round_, posts, meixian_villages, django_assert_max_num_queries
):
    submit(graduate, round_, posts[:3])
    with django_assert_max_num_queries(30) as few:
        signed_in.get(url("apply", round_.pk))
    for village in meixian_villages[12:60]:
        make_post(round_, village, dialects=["teochew"] if village.pk % 2 else [])
    with django_assert_max_num_queries(len(few)):
        page = signed_in.get(url("apply", round_.pk), {"show": "ineligible"})
    assert "This post requires one of these dialects" in page.content.decode()
    with django_assert_max_num_queries(len(few)):
        page = signed_in.get(url("apply", round_.pk))
    assert page.content.decode().count('name="pick"') > 10


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
