"""The graduate's application pages: my applications, the one-page application form (apply and
re-rank), an application's status and timeline, withdrawing, and answering an offer.

Thin: rules are in jobs.services.applications / eligibility / offers, reads in
jobs.selectors.applications. Another user's application or offer is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .choices import APPLICATION_EDITABLE, OfferStatus, RoundStage
from .forms_applications import RankingForm, WithdrawForm
from .models import Post, RecruitmentRound
from .selectors.applications import (
    application_for_round,
    application_next_step,
    application_of_user_or_404,
    applications_of,
    current_offer,
    offer_of_user_or_404,
    round_posts,
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


def _post_url_pattern() -> str:
    """The public post page's URL with a placeholder id (swapped per row), or "" without it."""
    try:
        return reverse("jobs:post_detail", args=[int(_URL_SENTINEL)])
    except NoReverseMatch:
        return ""


def _rank_options(max_preferences: int, selected: str) -> str:
    options = ['<option value="">—</option>']
    for n in range(1, max_preferences + 1):
        mark = " selected" if str(n) == selected else ""
        options.append(f'<option value="{n}"{mark}>{n}</option>')
    return mark_safe("".join(options))  # noqa: S308 (integers only)


@login_required
@require_http_methods(["GET", "POST"])
def apply(request, round_id: int):
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
    q = request.GET.get("q", "").strip()[:30]
    posts = list(round_posts(round_, q=q))
    failures = posts_eligibility(profile=profile, posts=posts, round_=round_)
    initial_ranks = {}
    if existing is not None:
        initial_ranks = {
            pref.post_id: pref.rank for pref in existing.preferences.all().only("post_id", "rank")
        }
    all_ids = list(Post.objects.filter(round=round_).values_list("pk", flat=True))
    form = RankingForm(
        request.POST if request.method == "POST" else None,
        post_ids=all_ids,
        max_preferences=round_.max_preferences,
        initial_ranks=initial_ranks,
    )
    if request.method == "POST" and window_open and form.is_valid():
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
    elif request.method == "POST" and not window_open:
        form.is_valid()
        form.add_error(None, _("Applications to this round are not open."))

    def current_rank(pk: int):
        if form.is_bound:
            return form.data.get(f"rank_{pk}", "")
        return str(initial_ranks.get(pk, ""))

    # Rendered here rather than in template loops: a county round has hundreds of posts.
    post_url = _post_url_pattern()
    rows = [
        {
            "post": post,
            "failures": failures[post.pk],
            "url": post_url.replace(_URL_SENTINEL, str(post.pk)) if post_url else "",
            "options": _rank_options(round_.max_preferences, current_rank(post.pk)),
        }
        for post in posts
    ]
    rows.sort(key=lambda r: (r["failures"] != [], r["post"].village.path))
    hidden_ranks = []
    if q:
        # Posts ranked already but outside the search stay in the form.
        shown = {p.pk for p in posts}
        hidden_ranks = [
            (pk, rank)
            for pk, rank in ((pk, current_rank(pk)) for pk in all_ids if pk not in shown)
            if rank
        ]
    response = render(
        request,
        "jobs/applications/apply.html",
        {
            "round": round_,
            "existing": existing,
            "form": form,
            "rows": rows,
            "eligible_count": sum(1 for r in rows if not r["failures"]),
            "q": q,
            "hidden_ranks": hidden_ranks,
            "window_open": window_open,
            "profile": profile,
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
