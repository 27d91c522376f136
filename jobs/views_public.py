"""Public pages: open rounds and the post search, under /<lang>/jobs/.

Pages without a query string are answered from the site's anonymous page cache; the search
page, for anonymous and signed-in visitors, mostly before the middleware stack (jobs/early.py).
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
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
from .early import (
    PAGES_GENERATION_KEY,
    has_messages,
    navigation_key,
    search_warm_schedule,
    shell_missing,
    shell_store,
)
from .models import Post
from .selectors.posts import (
    GENERATION_KEY,
    PostSearch,
    post_public_get,
    post_search_normalise_query,
    post_search_page,
    post_search_parse,
    post_search_rounds,
    public_cache_generation,
    public_cache_get_many,
    public_cache_set,
    round_public_get,
    search_cache_seconds,
    search_content_key,
    search_shell_key,
)
from .selectors.rounds import round_public_detail, rounds_public
from .services.announcements import hr_office_name

# Google's values for EducationalOccupationalCredential.credentialCategory.
CREDENTIAL_CATEGORY = {
    EducationLevel.JUNIOR_COLLEGE: "associate degree",
    EducationLevel.BACHELOR: "bachelor degree",
    EducationLevel.MASTER: "postgraduate degree",
    EducationLevel.DOCTOR: "postgraduate degree",
}
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


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


def search_content(*, params: dict, generation: int) -> tuple[str, dict, bool]:
    """The page's search part for normalised `params` (see `post_search_normalise`) in the
    active language: heading, form (region picker, round menu, name) and results (count, page
    of posts, pagination) — the same for every visitor.

    Returns the HTML, the context it was rendered with, and whether it may be cached (not
    when the search could not be understood: its errors name what was typed)."""
    search = post_search_parse(region=params["region"], round=params["round"], q=params["q"])
    result = post_search_page(search=search, page=params["page"])
    return search_content_render(params=params, generation=generation, search=search, result=result)


def search_content_render(
    *, params: dict, generation: int, search: PostSearch, result: dict
) -> tuple[str, dict, bool]:
    """`search_content` from a search already parsed and run (the warm task runs its own)."""
    base_query = "&".join(
        f"{k}={v}"
        for k, v in (("region", search.params["region"]), ("round", search.params["round"]))
        if v
    )
    context = {**result, "search": search, "q": params["q"], "base_query": base_query}
    context["results_html"] = mark_safe(  # noqa: S308 - rendered by our template
        render_to_string("jobs/public/_post_results.html", context)
    )
    picker = RegionPickerWidget(max_level=RegionLevel.VILLAGE).render(
        "region", search.region, attrs={"id": "id_region"}
    )
    context["region_picker"] = mark_safe(str(picker))  # noqa: S308 - rendered by the widget
    context["round_options"] = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (pk, mark_safe(" selected") if str(pk) == params["round"] else "", name)
            for pk, name in post_search_rounds(generation=generation)
        ),
    )
    html = render_to_string("jobs/public/_post_search.html", context)
    return html, context, not search.errors


def post_list(request):
    """The search page: its search part (the same for everyone) from the cache of the current
    generation or computed and stored, inside the page rendered for this visitor. Most visitors
    are answered before reaching this view (jobs/early.py) from the stored search part and the
    stored shell of the page, which this view stores when it is missing."""
    language = translation.get_language()
    params = post_search_normalise_query(request.GET)
    content_key = search_content_key(params=params, language=language)
    shell_key = search_shell_key(language=language, navigation=navigation_key(request.user))
    found = public_cache_get_many([GENERATION_KEY, PAGES_GENERATION_KEY, content_key, shell_key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = public_cache_generation()
    stored = found.get(content_key)
    if stored is not None and stored[0] == generation:
        _generation, html, count = stored
        context, state = {"count": count}, "fragment"
    else:
        html, context, cacheable = search_content(params=params, generation=generation)
        if cacheable:
            public_cache_set(
                content_key,
                (generation, html, context["count"]),
                search_cache_seconds(free_text=bool(params["q"])),
            )
        search_warm_schedule(generation)
        state = "miss"
    shell_wanted = shell_missing(found, shell_key) and not has_messages(request)
    context["search_html"] = mark_safe(html)  # noqa: S308 - rendered by our templates
    response = render(request, "jobs/public/post_list.html", context)
    response["X-Jobs-Cache"] = state
    if request.user.is_authenticated:
        response["Cache-Control"] = "private"
    if shell_wanted:
        shell_store(request, shell_key, found)
    return response


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
        "title": post.display_title,
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
