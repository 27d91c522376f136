"""Public pages: open rounds and the post search, under /<lang>/jobs/.

Anonymous visitors are answered from the cache (see jobs.selectors.posts): pages without a
query string by the site's anonymous page cache, the search by `anonymous_cached` here.
"""

import json
from functools import wraps

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.html import format_html_join, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from regions.choices import RegionLevel
from regions.forms import RegionPickerWidget

from .choices import Dialect, EducationLevel, RoundStage
from .models import Post
from .selectors.posts import (
    post_public_get,
    post_search_fragment_key,
    post_search_normalise,
    post_search_page,
    post_search_parse,
    post_search_rounds,
    post_search_rounds_key,
    public_cache_generation,
    public_cache_get,
    public_cache_get_many,
    public_cache_key,
    public_cache_set,
    public_cache_set_many,
    round_public_get,
)
from .selectors.rounds import round_public_detail, rounds_public
from .services.announcements import hr_office_name

SEARCH_PARAMS = ("region", "round", "q", "page")
# Google's values for EducationalOccupationalCredential.credentialCategory.
CREDENTIAL_CATEGORY = {
    EducationLevel.JUNIOR_COLLEGE: "associate degree",
    EducationLevel.BACHELOR: "bachelor degree",
    EducationLevel.MASTER: "postgraduate degree",
    EducationLevel.DOCTOR: "postgraduate degree",
}
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def anonymous_cached(view):
    """Whole responses for visitors without a session, keyed by path, language and the search."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if (
            request.method not in ("GET", "HEAD")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or "messages" in request.COOKIES
        ):
            return view(request, *args, **kwargs)
        params = {k: request.GET.get(k, "")[:40] for k in SEARCH_PARAMS}
        key = public_cache_key(f"page:{request.path}", translation.get_language(), params)
        stored = public_cache_get(key)
        if stored is not None:
            content, content_type = stored
            response = HttpResponse(content, content_type=content_type)
            response["X-Jobs-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.cookies and not response.streaming:
            public_cache_set(key, (response.content, response["Content-Type"]))
            response["X-Jobs-Cache"] = "miss"
        return response

    return wrapper


def round_list(request):
    return render(request, "jobs/public/round_list.html", {"rounds": rounds_public()})


def round_detail(request, round_id: int):
    round = round_public_get(round_id=round_id)
    if round is None:
        raise Http404
    context = {
        "round": round,
        "office": hr_office_name(round),
        "window_open": round.applications_window_open(),
        "apply_url": _reverse("jobs:apply", round.pk),
        **round_public_detail(round=round),
    }
    return render(request, "jobs/public/round_detail.html", context)


@anonymous_cached
def post_list(request):
    """The search page. Its parts that are the same for everyone (the rendered results, the
    round menu, the region picker) come from the cache of the current generation in one
    cache call; only what is missing is computed (and stored), then the shell is rendered."""
    language = translation.get_language()
    params = post_search_normalise(
        region=request.GET.get("region", ""),
        round=request.GET.get("round", ""),
        q=request.GET.get("q", ""),
        page=request.GET.get("page", ""),
    )
    generation = public_cache_generation()
    results_key = post_search_fragment_key(params=params, language=language, generation=generation)
    rounds_key = post_search_rounds_key(generation)
    picker_key = public_cache_key("picker", language, {"region": params["region"]}, generation)
    cached = public_cache_get_many([results_key, rounds_key, picker_key])
    store = {}
    context = {"q": params["q"], "search": None}

    results = cached.get(results_key)
    if results is None:
        search = post_search_parse(region=params["region"], round=params["round"], q=params["q"])
        result = post_search_page(search=search, page=params["page"])
        base_query = "&".join(
            f"{k}={v}"
            for k, v in (("region", search.params["region"]), ("round", search.params["round"]))
            if v
        )
        context.update(result, search=search, base_query=base_query)
        results = {
            "html": render_to_string("jobs/public/_post_results.html", context),
            "count": result["count"],
        }
        if not search.errors:
            store[results_key] = results
    context["count"] = results["count"]
    context["results_html"] = mark_safe(results["html"])  # noqa: S308 - rendered by our template

    picker = cached.get(picker_key)
    if picker is None:
        search = context["search"]
        picker = str(
            RegionPickerWidget(max_level=RegionLevel.VILLAGE).render(
                "region",
                search.region if search is not None else params["region"] or None,
                attrs={"id": "id_region"},
            )
        )
        store[picker_key] = picker
    context["region_picker"] = mark_safe(picker)  # noqa: S308 - rendered by the widget

    rounds = cached.get(rounds_key)
    if rounds is None:
        rounds = post_search_rounds(generation=generation)
    context["round_options"] = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (pk, mark_safe(" selected") if str(pk) == params["round"] else "", name)
            for pk, name in rounds
        ),
    )
    public_cache_set_many(store)
    return render(request, "jobs/public/post_list.html", context)


def _reverse(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def job_posting(request, post: Post, places: dict) -> dict:
    """schema.org JobPosting of a post (https://schema.org/JobPosting)."""
    round = post.round
    description = post.description or _(
        "Full-time operator of the village (community) public-service station of %(village)s."
    ) % {"village": places["village"]}
    data = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": post.title,
        "description": str(linebreaks(description)),
        "identifier": {
            "@type": "PropertyValue",
            "name": hr_office_name(round),
            "value": str(post.pk),
        },
        "datePosted": timezone.localdate(post.created_at).isoformat(),
        "employmentType": "FULL_TIME",
        "hiringOrganization": {"@type": "Organization", "name": hr_office_name(round)},
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressCountry": "CN",
                "addressRegion": places["province"],
                "addressLocality": f"{places['city']}{places['county']}",
                "streetAddress": f"{places['township']}{places['village']}",
            },
        },
        "totalJobOpenings": post.headcount,
        "educationRequirements": {
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": CREDENTIAL_CATEGORY[EducationLevel(post.min_education)],
        },
        "directApply": True,
        "url": request.build_absolute_uri(request.path),
    }
    if round.applications_close_at:
        data["validThrough"] = timezone.localtime(round.applications_close_at).isoformat()
    if post.monthly_subsidy_fen:
        data["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": "CNY",
            "value": {
                "@type": "QuantitativeValue",
                "value": post.monthly_subsidy_fen / 100,
                "unitText": "MONTH",
            },
        }
    return data


def json_ld(data: dict) -> str:
    """JSON for a <script type="application/ld+json">: no "</script>" can close it early."""
    return mark_safe(  # noqa: S308 - <, > and & are escaped as \\u003C, \\u003E, \\u0026
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    )


def post_detail(request, post_id: int):
    post = post_public_get(post_id=post_id)
    if post is None:
        raise Http404
    round = post.round
    village = post.village
    township = village.parent
    county = township.parent if township else None
    city = county.parent if county else None
    province = city.parent if city else None
    places = {
        "village": village.name,
        "township": township.name if township else "",
        "county": county.name if county else "",
        "city": city.name if city else "",
        "province": province.name if province else "",
    }
    ages = [
        (EducationLevel(level).label, age)
        for level, age in (post.max_age_by_level or {}).items()
        if level in EducationLevel.values
    ]
    context = {
        "post": post,
        "round": round,
        "places": places,
        "office": hr_office_name(round),
        "majors": list(post.majors.all()),
        "ages": ages,
        "dialects": [label for value, label in Dialect.choices if value in (post.dialects or [])],
        "window_open": round.applications_window_open(),
        "apply_url": _reverse("jobs:apply", round.pk),
        "job_posting_json": json_ld(job_posting(request, post, places)),
        "before_applications": round.stage in (RoundStage.ANNOUNCED,),
    }
    return render(request, "jobs/public/post_detail.html", context)
