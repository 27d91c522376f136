"""The graduate's application pages: my applications, the one-page application form (apply and
re-rank), an application's status and timeline, withdrawing, and answering an offer.

Thin: rules are in jobs.services.applications / eligibility / offers, reads in
jobs.selectors.applications. Another user's application or offer is a 404.
"""

from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .choices import APPLICATION_EDITABLE, OfferStatus, RoundStage
from .forms_applications import ACTION_ADD, CHOICE_PREFIX, ChoicesForm, WithdrawForm
from .models import Major, Post, RecruitmentRound
from .selectors.applications import (
    application_for_round,
    application_next_step,
    application_of_user_or_404,
    applications_of,
    current_offer,
    offer_of_user_or_404,
)
from .services.applications import (
    application_can_withdraw,
    application_submit,
    application_update_preferences,
)
from .services.applications import (
    application_withdraw as application_withdraw_service,
)
from .services.eligibility import posts_eligibility, profile_for_eligibility
from .services.offers import offer_accept as offer_accept_service
from .services.offers import offer_decline as offer_decline_service


def _private(response):
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


def _messages_of(exc: ValidationError) -> list[str]:
    return list(exc.messages)


@login_required
@require_GET
def my_applications(request):
    applications = list(applications_of(request.user))
    rows = [
        {"application": a, "next": application_next_step(a), "offer": current_offer(a)}
        for a in applications
    ]
    applied = {a.round_id for a in applications}
    open_rounds = [
        r
        for r in RecruitmentRound.objects.filter(stage=RoundStage.APPLICATIONS_OPEN)
        .select_related("region")
        .order_by("applications_close_at", "pk")
        if r.pk not in applied and r.applications_window_open()
    ]
    return _private(
        render(
            request,
            "jobs/applications/my_applications.html",
            {"rows": rows, "open_rounds": open_rounds},
        )
    )


_URL_SENTINEL = "987654321"
# Posts listed per page of the form: with the page around them, well under 60 KB of HTML.
POSTS_PER_PAGE = 40
# The most post ids read from the `chosen` query parameter.
CHOSEN_MAX = 50


def _post_url_pattern() -> str:
    """The public post page's URL with a placeholder id (swapped per row), or "" without it."""
    try:
        return reverse("jobs:post_detail", args=[int(_URL_SENTINEL)])
    except NoReverseMatch:
        return ""


@dataclass(frozen=True)
class _FormState:
    """What the form shows, kept in its URL: the township filter, the search, the page, whether the
    ineligible posts are listed, and the chosen posts in order (None: the saved ranking)."""

    township: str = ""
    q: str = ""
    page: int = 1
    ineligible: bool = False
    chosen: tuple[int, ...] | None = None

    @classmethod
    def from_query(cls, query) -> "_FormState":
        try:
            page = max(1, int(query.get("page", "1")))
        except ValueError:
            page = 1
        chosen = None
        if "chosen" in query:
            ids = []
            for raw in query.get("chosen", "").split("-")[:CHOSEN_MAX]:
                if raw.isascii() and raw.isdigit() and int(raw) not in ids:
                    ids.append(int(raw))
            chosen = tuple(ids)
        return cls(
            township=query.get("township", "").strip()[:12],
            q=query.get("q", "").strip()[:30],
            page=page,
            ineligible=query.get("show") == "ineligible",
            chosen=chosen,
        )

    def query(self, **changes) -> str:
        state = replace(self, **changes)
        params = []
        if state.ineligible:
            params.append(("show", "ineligible"))
        if state.township:
            params.append(("township", state.township))
        if state.q:
            params.append(("q", state.q))
        if state.chosen is not None:
            params.append(("chosen", "-".join(map(str, state.chosen))))
        if state.page > 1:
            params.append(("page", str(state.page)))
        return urlencode(params)


def _post_label(post: Post) -> str:
    parent = post.village.parent
    return f"{post.village.name} · {parent.name}" if parent else post.village.name


def _post_list(*, posts, failures, eligible_ids, state, chosen_rank, picked) -> dict:
    """The list under the choices: the eligible posts (or, on request, the ineligible ones with
    their reasons), with the townships and counts for the filter, searched, 40 to a page, grouped
    by township."""
    listed = [p for p in posts if (p.pk in eligible_ids) != state.ineligible]
    townships: dict[str, list] = {}
    for post in listed:
        parent = post.village.parent
        code = parent.code if parent else ""
        if code not in townships:
            townships[code] = [code, parent.name if parent else "", 0]
        townships[code][2] += 1
    if state.township in townships:
        listed = [p for p in listed if p.village.parent and p.village.parent.code == state.township]
    if state.q:
        listed = [
            p
            for p in listed
            if state.q in p.village.name or (p.village.parent and state.q in p.village.parent.name)
        ]
    listed.sort(key=lambda p: p.village.path)
    pages = max(1, -(-len(listed) // POSTS_PER_PAGE))
    page = min(state.page, pages)
    post_url = _post_url_pattern()
    groups: list[dict] = []
    for post in listed[(page - 1) * POSTS_PER_PAGE : page * POSTS_PER_PAGE]:
        parent = post.village.parent
        if not groups or groups[-1]["township"] != parent:
            groups.append({"township": parent, "rows": []})
        groups[-1]["rows"].append(
            {
                "post": post,
                "url": post_url.replace(_URL_SENTINEL, str(post.pk)) if post_url else "",
                "failures": failures[post.pk],
                "rank": chosen_rank.get(post.pk),
                "picked": post.pk in picked,
            }
        )
    return {
        "townships": sorted(townships.values(), key=lambda t: t[0]),
        "groups": groups,
        "listed_count": len(listed),
        "page": page,
        "pages": pages,
    }


@login_required
@require_http_methods(["GET", "POST"])
def apply(request, round_id: int):
    """Choose posts from the list (only those the graduate is eligible for, by township, searchable,
    40 to a page), then rank the chosen ones and submit. The ineligible posts are a count and a
    link to their list with the reasons. Everything works without JavaScript."""
    round_ = get_object_or_404(
        RecruitmentRound.objects.select_related("region").exclude(stage=RoundStage.DRAFT),
        pk=round_id,
    )
    existing = application_for_round(request.user, round_)
    if existing is not None and existing.status not in APPLICATION_EDITABLE:
        messages.info(request, _("Your application to this round can no longer be changed."))
        return redirect("jobs:application_detail", existing.pk)
    profile = profile_for_eligibility(request.user)
    if profile is None:
        messages.info(
            request, _("Complete your graduate profile first; every application uses it.")
        )
        return redirect("jobs:profile_edit")
    window_open = round_.applications_window_open()
    state = _FormState.from_query(request.GET)
    base_url = reverse("jobs:apply", args=[round_.pk])

    # Every post of the round (for the counts, the filter and the chosen posts' names), with
    # what the eligibility rules read; majors as id and name only.
    posts = list(
        Post.objects.filter(round=round_)
        .select_related("village__parent")
        .prefetch_related(Prefetch("majors", queryset=Major.objects.only("id", "name")))
    )
    by_id = {post.pk: post for post in posts}
    failures = posts_eligibility(profile=profile, posts=posts, round_=round_)
    eligible_ids = {pk for pk, failed in failures.items() if not failed}
    if state.chosen is None:
        chosen = []
        if existing is not None:
            chosen = [pref.post_id for pref in existing.preferences.order_by("rank")]
    else:
        chosen = [pk for pk in state.chosen if pk in by_id]
    chosen = chosen[: round_.max_preferences]

    form = ChoicesForm(
        request.POST if request.method == "POST" else None,
        max_preferences=round_.max_preferences,
        post_names={pk: post.village.name for pk, post in by_id.items()},
        pickable_ids=eligible_ids,
    )
    if request.method == "POST" and not window_open:
        form.is_valid()
        form.add_error(None, _("Applications to this round are not open."))
    elif request.method == "POST" and form.is_valid():
        if form.adding:
            if form.data.get("action") != ACTION_ADD:
                messages.info(
                    request,
                    _(
                        "The ticked posts are added to your choices: check their order, then submit."
                    ),
                )
            query = state.query(chosen=tuple(form.ranked_post_ids), page=state.page)
            return redirect(f"{base_url}?{query}#choices")
        try:
            if existing is None:
                application = application_submit(
                    user=request.user,
                    round_=round_,
                    post_ids=form.ranked_post_ids,
                    request=request,
                )
                messages.success(
                    request,
                    _("Your application is submitted. We have e-mailed you a confirmation."),
                )
            else:
                application = application_update_preferences(
                    application=existing,
                    user=request.user,
                    post_ids=form.ranked_post_ids,
                    request=request,
                )
                messages.success(request, _("Your ranking is saved."))
            return redirect("jobs:application_detail", application.pk)
        except ValidationError as exc:
            for message in _messages_of(exc):
                form.add_error(None, message)

    # The numbered selects: after a refused POST, what was sent (then the other chosen posts).
    if form.is_bound:
        select_ids = list(dict.fromkeys([*form.posted_ids, *chosen]))
        selected = [
            form.data.get(f"{CHOICE_PREFIX}{n}", "")
            for n in range(1, min(len(select_ids), round_.max_preferences) + 1)
        ]
    else:
        select_ids = chosen
        selected = [str(pk) for pk in chosen]
    options = [(str(pk), _post_label(by_id[pk])) for pk in select_ids]
    choices = [
        {"n": n, "name": f"{CHOICE_PREFIX}{n}", "value": value}
        for n, value in enumerate(selected, start=1)
    ]
    listing = _post_list(
        posts=posts,
        failures=failures,
        eligible_ids=eligible_ids,
        state=state,
        chosen_rank={pk: n for n, pk in enumerate(chosen, start=1)},
        picked=set(form.picks) if form.is_bound else set(),
    )
    page, pages = listing["page"], listing["pages"]
    # Links keep the choices in the address once they are there (else the saved ranking is used).
    keep = tuple(chosen) if state.chosen is not None else None
    here = replace(state, page=page, chosen=keep)
    response = render(
        request,
        "jobs/applications/apply.html",
        {
            **listing,
            "round": round_,
            "existing": existing,
            "form": form,
            "window_open": window_open,
            "profile": profile,
            "choices": choices,
            "options": options,
            "chosen_count": len(chosen),
            "chosen_hidden": [(f"{CHOICE_PREFIX}{n}", pk) for n, pk in enumerate(chosen, 1)],
            "chosen_param": "-".join(map(str, keep)) if keep is not None else None,
            "state": here,
            "action_url": f"{base_url}?{here.query()}" if here.query() else base_url,
            "eligible_count": len(eligible_ids),
            "ineligible_count": len(posts) - len(eligible_ids),
            "total_count": len(posts),
            "previous_url": f"?{here.query(page=page - 1)}" if page > 1 else "",
            "next_url": f"?{here.query(page=page + 1)}" if page < pages else "",
            "ineligible_url": f"?{here.query(ineligible=True, page=1, township='', q='')}",
            "eligible_url": f"?{here.query(ineligible=False, page=1, township='', q='')}",
            "clear_url": f"?{here.query(page=1, township='', q='')}",
        },
        status=400 if form.is_bound and form.errors else 200,
    )
    return _private(response)


@login_required
@require_GET
def application_detail(request, application_id: int):
    application = application_of_user_or_404(request.user, application_id)
    offer = current_offer(application)
    return _private(
        render(
            request,
            "jobs/applications/detail.html",
            {
                "application": application,
                "round": application.round,
                "next": application_next_step(application),
                "offer": offer,
                "offer_pending": offer is not None and offer.status == OfferStatus.PENDING,
                "placement": getattr(offer, "placement", None) if offer else None,
                "preferences": list(application.preferences.all()),
                "events": list(application.events.all()),
                "can_edit": application.status in APPLICATION_EDITABLE
                and application.round.applications_window_open(),
                "can_withdraw": application_can_withdraw(application),
            },
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_withdraw(request, application_id: int):
    application = application_of_user_or_404(request.user, application_id)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application_withdraw_service(
                application=application,
                user=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(_messages_of(exc)))
        else:
            messages.success(request, _("Your application is withdrawn."))
        return redirect("jobs:application_detail", application.pk)
    return _private(
        render(
            request,
            "jobs/applications/withdraw_confirm.html",
            {
                "application": application,
                "form": form,
                "offer": current_offer(application),
                "can_withdraw": application_can_withdraw(application),
            },
        )
    )


def _offer_answer(request, offer_id: int, *, accept: bool):
    offer = offer_of_user_or_404(request.user, offer_id)
    if request.method == "POST":
        try:
            if accept:
                offer_accept_service(offer=offer, user=request.user, request=request)
                messages.success(
                    request,
                    _("You have accepted the post. Welcome! The next steps and dates are below."),
                )
            else:
                offer_decline_service(offer=offer, user=request.user, request=request)
                messages.success(request, _("You have declined the offer."))
        except ValidationError as exc:
            messages.error(request, " ".join(_messages_of(exc)))
        return redirect("jobs:application_detail", offer.application_id)
    offer = (
        type(offer)
        .objects.select_related("post__village__parent", "application__round")
        .get(pk=offer.pk)
    )
    return _private(
        render(
            request,
            "jobs/applications/offer_confirm.html",
            {"offer": offer, "accept": accept, "application": offer.application},
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_accept(request, offer_id: int):
    return _offer_answer(request, offer_id, accept=True)


@login_required
@require_http_methods(["GET", "POST"])
def offer_decline(request, offer_id: int):
    return _offer_answer(request, offer_id, accept=False)
