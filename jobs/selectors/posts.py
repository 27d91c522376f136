"""Reads of posts: the public search (page and API) and its cache.

The search is one indexed query on `jobs_post`: `region_path` (the village's `Region.path`,
copied onto the post) is a prefix scan on its own index and orders the result by the same
index, so a page of 25 out of the province's 26,735 posts never sorts the whole set. The
round's stage is a join to a table of a few hundred rows. The names shown (village,
township, county) come with the 25 rows of the page through `select_related`.

The public responses are cached under a generation number that every change of a round or a
post through the services bumps (`jobs_public_cache_invalidate`, which also drops the site's
anonymous page cache): nothing stored before a change is served after it.

The search page and the API are mostly answered before the middleware stack from what the cache
holds (jobs/early.py): the page's search part — heading, form, rendered results — the same for
everyone (`search_content_key`), inside a shell per language and navigation (`search_shell_key`),
and the API's rendered JSON (`search_api_key`). The rounds of the round menu are cached per
generation (`post_search_rounds`). The page's and the API's values carry the generation they were computed under instead of having it in their key,
so one cache call reads the generation with them; they live `SEARCH_CACHE_SECONDS` (long: the
generation keeps them fresh after any change through the services) when their parameters are
bounded, `PUBLIC_CACHE_SECONDS` when they hold free text.
"""

import hashlib
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from regions.models import Region

from ..choices import ROUND_STAGE_ORDER, RoundStage
from ..models import Post, RecruitmentRound

# Rounds the public sees: announced, and not yet closed.
PUBLIC_STAGES = tuple(
    s for s in ROUND_STAGE_ORDER if s not in (RoundStage.DRAFT, RoundStage.CLOSED)
)
POSTS_PER_PAGE = 25
MAX_QUERY_LENGTH = 30
PUBLIC_CACHE_SECONDS = 60
SEARCH_CACHE_SECONDS = 30 * 60
GENERATION_KEY = "jobs-public:generation"
# Part of the early path's keys: a release that changes what they hold changes it.
SEARCH_FORMAT = 1

POST_LIST_FIELDS = (
    "id",
    "title",
    "headcount",
    "min_education",
    "monthly_subsidy_fen",
    "service_term_months",
    "region_path",
    "round__id",
    "round__name",
    "round__stage",
    "round__applications_close_at",
    "village__id",
    "village__code",
    "village__name",
    "village__parent__id",
    "village__parent__name",
    "village__parent__parent__id",
    "village__parent__parent__name",
)


# --- the cache -------------------------------------------------------------------------------------


def jobs_public_cache_invalidate() -> None:
    """Drop every cached public jobs response, and the site's cached anonymous pages."""
    from cms.middleware import invalidate_anonymous_pages

    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, _fresh_generation(), None)
    invalidate_anonymous_pages()


def _fresh_generation() -> int:
    # A lost generation number (cache flushed or evicted) must not come back as one that
    # values still in the cache were stored under: start from the clock instead of from 0.
    return time.time_ns() // 1000


def public_cache_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, _fresh_generation(), None)
        generation = cache.get(GENERATION_KEY) or 0
    return generation


def public_cache_key(kind: str, language: str, params: dict, generation: int | None = None) -> str:
    if generation is None:
        generation = public_cache_generation()
    query = urlencode(sorted((k, str(v)) for k, v in params.items() if v not in (None, "")))
    if len(query) > 120:  # keys stay short (memcached's limit is 250) however long the name
        query = hashlib.sha256(query.encode()).hexdigest()
    return f"jobs-public:{generation}:{kind}:{language}:{query}"


def public_cache_get(key: str):
    return cache.get(key)


def public_cache_set(key: str, value, timeout: int = PUBLIC_CACHE_SECONDS) -> None:
    cache.set(key, value, timeout)


def public_cache_get_many(keys: list[str]) -> dict:
    return cache.get_many(keys)


# --- the search ------------------------------------------------------------------------------------


@dataclass
class PostSearch:
    """The cleaned search: what the visitor asked for, and what could not be understood."""

    region: Region | None = None
    round: RecruitmentRound | None = None
    q: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def params(self) -> dict:
        return {
            "region": self.region.code if self.region else "",
            "round": self.round.pk if self.round else "",
            "q": self.q,
        }


def post_search_normalise(
    *, region: str = "", round: str | int | None = "", q: str = "", page: str | int = ""
) -> dict:
    """The search's parameters as they key its cached results, without reading the database:
    the same text `post_search_parse` and `post_search_page` would understand."""
    page_text = str(page or "").strip()
    return {
        "region": (region or "").strip()[:12],
        "round": str(round or "").strip()[:12],
        "q": " ".join((q or "").split())[:MAX_QUERY_LENGTH],
        "page": int(page_text) if page_text.isdigit() and len(page_text) < 6 else 1,
    }


def post_search_normalise_query(query) -> dict:
    """`post_search_normalise` of a request's query string (a QueryDict)."""
    names = ("region", "round", "q", "page")
    return post_search_normalise(**{name: query.get(name, "") for name in names})


def _query_key(query: str) -> str:
    return query if len(query) <= 120 else hashlib.sha256(query.encode()).hexdigest()


def search_content_key(*, params: dict, language: str) -> str:
    """Key of the page's search part (heading, form, results) for normalised `params`."""
    query = urlencode(sorted((k, str(v)) for k, v in params.items() if v not in (None, "")))
    return f"jobs-search:{SEARCH_FORMAT}:content:{language}:{_query_key(query)}"


def search_shell_key(*, language: str, navigation: str) -> str:
    """Key of the search page around its search part, for a language and a navigation."""
    return f"jobs-search:{SEARCH_FORMAT}:shell:{language}:{navigation}"


def search_api_key(query_string: str) -> str:
    """Key of the API's JSON answer to a query string (the same in every language)."""
    return f"jobs-search:{SEARCH_FORMAT}:api:{_query_key(query_string)}"


def search_cache_seconds(*, free_text: bool) -> int:
    return PUBLIC_CACHE_SECONDS if free_text else SEARCH_CACHE_SECONDS


def post_search_rounds_key(generation: int) -> str:
    return f"jobs-public:{generation}:rounds"


def post_search_rounds(*, generation: int | None = None, cached=None) -> list[tuple[int, str]]:
    """(id, name) of the public rounds for the round menu, newest first; cached per generation.

    `cached` is the value already read from the cache (None: read it here)."""
    if generation is None:
        generation = public_cache_generation()
    key = post_search_rounds_key(generation)
    rounds = cached if cached is not None else cache.get(key)
    if rounds is None:
        rounds = list(
            RecruitmentRound.objects.filter(stage__in=PUBLIC_STAGES)
            .order_by("-year", "region__path", "pk")
            .values_list("pk", "name")
        )
        cache.set(key, rounds, PUBLIC_CACHE_SECONDS)
    return rounds


def post_search_parse(*, region: str = "", round: str | int | None = "", q: str = "") -> PostSearch:
    """Turn raw parameters into a search; unknown values become errors (the search finds nothing)."""
    search = PostSearch(q=" ".join((q or "").split())[:MAX_QUERY_LENGTH])
    region_code = (region or "").strip()
    if region_code:
        search.region = (
            Region.objects.only("id", "code", "name", "path", "level", "depth")
            .filter(code=region_code)
            .first()
        )
        if search.region is None:
            search.errors.append(
                _("There is no region with the code %(code)s.") % {"code": region_code[:12]}
            )
    round_value = str(round or "").strip()
    if round_value:
        found = None
        if round_value.isdigit():
            found = round_public_get(round_id=int(round_value))
        if found is None:
            search.errors.append(_("There is no open recruitment round with this number."))
        search.round = found
    return search


def round_public_get(*, round_id: int) -> RecruitmentRound | None:
    return (
        RecruitmentRound.objects.select_related("region")
        .filter(pk=round_id, stage__in=PUBLIC_STAGES)
        .first()
    )


def post_search(*, search: PostSearch) -> QuerySet[Post]:
    """The public posts matching `search`, ordered by place (province → village)."""
    if search.errors:
        return Post.objects.none()
    posts = Post.objects.filter(round__stage__in=PUBLIC_STAGES)
    if search.region is not None:
        posts = posts.filter(region_path__startswith=search.region.path)
    if search.round is not None:
        posts = posts.filter(round=search.round)
    for term in search.q.split()[:3]:
        posts = posts.filter(
            Q(village__name__contains=term) | Q(village__parent__name__contains=term)
        )
    return (
        posts.select_related("round", "village__parent__parent")
        .only(*POST_LIST_FIELDS)
        .order_by("region_path", "pk")
    )


def post_search_page(*, search: PostSearch, page: int = 1, per_page: int = POSTS_PER_PAGE) -> dict:
    """One page of results, the total and the page numbers: two queries (count, rows)."""
    posts = post_search(search=search)
    count = 0 if search.errors else posts.count()
    pages = max(1, -(-count // per_page))
    page = min(max(1, page), pages)
    start = (page - 1) * per_page
    rows = list(posts[start : start + per_page]) if count else []
    return {
        "posts": rows,
        "count": count,
        "page": page,
        "pages": pages,
        "has_previous": page > 1,
        "has_next": page < pages,
        "start_index": start + 1 if rows else 0,
        "end_index": start + len(rows),
    }


def post_search_slice(*, search: PostSearch, limit: int, offset: int) -> dict:
    """For the API: `limit` posts from `offset`, and the total."""
    posts = post_search(search=search)
    count = 0 if search.errors else posts.count()
    rows = list(posts[offset : offset + limit]) if count and offset < count else []
    return {"posts": rows, "count": count}


def post_public_get(*, post_id: int) -> Post | None:
    """One post of a public round, with what its page and its JobPosting need."""
    return (
        Post.objects.select_related("round__region", "village__parent__parent__parent__parent")
        .prefetch_related("majors")
        .filter(pk=post_id, round__stage__in=PUBLIC_STAGES)
        .first()
    )
