"""What HR officers read about a round's applications.

The list of a round is built for size: one COUNT, one query for the ids of the page (sorted
on the application table, joined to the profile only to sort by name), one for those 50 rows
with applicant, profile, hometown, township and major joined, then one for the preferences of
just those 50. The HTML list (`round_applications_rows_page`) reads the 50 rows as plain
values in one query instead — first choice and number of choices as subqueries — and turns
them into display strings here, so the template only prints them. Every filter is a condition on the
application row or an EXISTS over its preferences, so the page costs the same at 50 or 5,000
applications.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..choices import APPLICATION_CLOSED, ApplicationStatus, EducationLevel
from ..models import Application, Post, Preference, RecruitmentRound
from .posts import public_cache_generation

FILTER_CHOICES_SECONDS = 300
URL_PLACEHOLDER = 2147483647

PER_PAGE = 50

# Eligibility as HR thinks of it, whatever happened to the application afterwards.
ELIGIBILITY_PENDING = "pending"
ELIGIBILITY_CONFIRMED = "confirmed"
ELIGIBILITY_REJECTED = "rejected"
ELIGIBILITY_VALUES = (ELIGIBILITY_PENDING, ELIGIBILITY_CONFIRMED, ELIGIBILITY_REJECTED)
# Statuses an application can only have reached through a confirmed eligibility.
PAST_ELIGIBILITY = frozenset(ApplicationStatus) - {
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.REJECTED,
    ApplicationStatus.WITHDRAWN,
}

SORT_SUBMITTED = "submitted"  # newest first
SORT_SUBMITTED_OLDEST = "-submitted"
SORT_NAME = "name"
SORT_SCORE = "score"  # highest total first, applications without scores last
SORTS = (SORT_SUBMITTED, SORT_SUBMITTED_OLDEST, SORT_NAME, SORT_SCORE)

CHOICE_ANY = "any"
CHOICE_FIRST = "first"

SCORE_FIELD = DecimalField(max_digits=9, decimal_places=4)


@dataclass
class ApplicationFilters:
    """The filters of the HR list; values not understood are ignored, never an error."""

    post: int | None = None
    choice: str = CHOICE_ANY  # the post (or township) as any preference, or the first choice
    township: str = ""  # region code of a township: a preference for a post in it
    status: str = ""
    eligibility: str = ""
    sort: str = SORT_SUBMITTED
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_params(cls, params) -> "ApplicationFilters":
        def integer(name: str) -> int | None:
            value = str(params.get(name) or "").strip()
            return int(value) if value.isdigit() else None

        status = str(params.get("status") or "")
        eligibility = str(params.get("eligibility") or "")
        sort = str(params.get("sort") or SORT_SUBMITTED)
        choice = str(params.get("choice") or CHOICE_ANY)
        township = str(params.get("township") or "").strip()
        return cls(
            post=integer("post"),
            choice=choice if choice in (CHOICE_ANY, CHOICE_FIRST) else CHOICE_ANY,
            township=township if township.isdigit() else "",
            status=status if status in ApplicationStatus.values else "",
            eligibility=eligibility if eligibility in ELIGIBILITY_VALUES else "",
            sort=sort if sort in SORTS else SORT_SUBMITTED,
        )

    def as_params(self) -> dict[str, str]:
        """The active filters as query parameters (for pagination and sort links)."""
        params = {
            "post": str(self.post or ""),
            "choice": self.choice if self.choice != CHOICE_ANY else "",
            "township": self.township,
            "status": self.status,
            "eligibility": self.eligibility,
            "sort": self.sort if self.sort != SORT_SUBMITTED else "",
        }
        return {k: v for k, v in params.items() if v}


def total_score_expression(round_: RecruitmentRound) -> ExpressionWrapper:
    """written × weight% + interview × weight%; NULL until both scores are in."""
    written = Value(Decimal(round_.weight_written) / 100, output_field=SCORE_FIELD)
    interview = Value(Decimal(round_.weight_interview) / 100, output_field=SCORE_FIELD)
    return ExpressionWrapper(
        F("written_score") * written + F("interview_score") * interview, output_field=SCORE_FIELD
    )


def total_score(application: Application, round_: RecruitmentRound) -> Decimal | None:
    if application.written_score is None or application.interview_score is None:
        return None
    value = (
        application.written_score * Decimal(round_.weight_written)
        + application.interview_score * Decimal(round_.weight_interview)
    ) / 100
    return value.quantize(Decimal("0.01"))


def _preference_filter(filters: ApplicationFilters, township_path: str | None) -> Q:
    conditions = Q()
    if filters.post:
        conditions &= Q(post_id=filters.post)
    if township_path is not None:
        conditions &= Q(post__region_path__startswith=township_path)
    if filters.choice == CHOICE_FIRST:
        conditions &= Q(rank=1)
    return conditions


def round_applications(
    *, round_: RecruitmentRound, filters: ApplicationFilters, township_path: str | None = None
) -> QuerySet[Application]:
    """The round's applications, filtered and sorted (not yet sliced or joined).

    `township_path` is the Region.path of `filters.township` (resolved by the caller, inside
    the round's region); the township filter is skipped when it is None.
    """
    qs = Application.objects.filter(round=round_)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.eligibility == ELIGIBILITY_PENDING:
        qs = qs.filter(status=ApplicationStatus.SUBMITTED)
    elif filters.eligibility == ELIGIBILITY_CONFIRMED:
        qs = qs.filter(status__in=PAST_ELIGIBILITY)
    elif filters.eligibility == ELIGIBILITY_REJECTED:
        qs = qs.filter(status=ApplicationStatus.REJECTED)
    if filters.post or township_path is not None:
        qs = qs.filter(
            Exists(
                Preference.objects.filter(
                    _preference_filter(filters, township_path), application=OuterRef("pk")
                )
            )
        )
    if filters.sort == SORT_NAME:
        qs = qs.order_by("applicant__graduate_profile__real_name", "pk")
    elif filters.sort == SORT_SCORE:
        qs = qs.annotate(total=total_score_expression(round_)).order_by(
            F("total").desc(nulls_last=True), "submitted_at", "pk"
        )
    elif filters.sort == SORT_SUBMITTED_OLDEST:
        qs = qs.order_by("submitted_at", "pk")
    else:
        qs = qs.order_by("-submitted_at", "-pk")
    return qs


def with_page_relations(
    qs: QuerySet[Application], *, all_preferences: bool = False
) -> QuerySet[Application]:
    """Joins for one row of the list, and the preferences (with post and village) of the page.

    The HTML list shows only the first choice, so only rank 1 is read unless `all_preferences`;
    either way they are in `application.page_preferences`, by rank.
    """
    preferences = Preference.objects.select_related("post__village").order_by("rank")
    if not all_preferences:
        preferences = preferences.filter(rank=1)
    return qs.select_related(
        "applicant__graduate_profile__hometown__parent",
        "applicant__graduate_profile__major",
    ).prefetch_related(Prefetch("preferences", queryset=preferences, to_attr="page_preferences"))


def round_applications_page(
    *,
    round_: RecruitmentRound,
    filters: ApplicationFilters,
    page: int | str | None = 1,
    township_path: str | None = None,
    per_page: int = PER_PAGE,
    all_preferences: bool = False,
) -> Page:
    """One page of the round's list in four queries whatever the round's size: a COUNT, the
    ids of the page (filtered and sorted on the application table alone, so no join runs over
    every application), the 50 rows with their joins, and the preferences of those 50."""
    ids_qs = round_applications(
        round_=round_, filters=filters, township_path=township_path
    ).values_list("pk", flat=True)
    page_obj = Paginator(ids_qs, per_page).get_page(page)
    ids = list(page_obj.object_list)
    rows = {
        a.pk: a
        for a in with_page_relations(
            Application.objects.filter(pk__in=ids), all_preferences=all_preferences
        )
    }
    page_obj.object_list = [rows[pk] for pk in ids if pk in rows]
    for application in page_obj.object_list:
        application.total = total_score(application, round_)
    return page_obj


def _url_maker(name: str):
    pattern = reverse(name, args=[URL_PLACEHOLDER])
    placeholder = str(URL_PLACEHOLDER)
    return lambda pk: pattern.replace(placeholder, str(pk))


def _display(value) -> str:
    return "—" if value is None else formats.localize(value)


def round_applications_rows_page(
    *,
    round_: RecruitmentRound,
    filters: ApplicationFilters,
    page: int | str | None = 1,
    township_path: str | None = None,
    per_page: int = PER_PAGE,
) -> Page:
    """One page of the HTML list in three queries (COUNT, the page's ids, its rows), its rows
    as dicts of display strings: name, masked ID number, hometown, education, major, the first
    choice and how many more, status, scores. The full ranking is on the application's page."""
    ids_qs = round_applications(
        round_=round_, filters=filters, township_path=township_path
    ).values_list("pk", flat=True)
    page_obj = Paginator(ids_qs, per_page).get_page(page)
    ids = list(page_obj.object_list)
    first = Preference.objects.filter(application=OuterRef("pk"), rank=1)
    count = (
        Preference.objects.filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    values = (
        Application.objects.filter(pk__in=ids)
        .annotate(
            first_post=Subquery(first.values("post_id")[:1]),
            first_village=Subquery(first.values("post__village__name")[:1]),
            choices=Subquery(count),
        )
        .values_list(
            "pk",
            "status",
            "written_score",
            "interview_score",
            "applicant__full_name",
            "applicant__email",
            "applicant__graduate_profile__real_name",
            "applicant__graduate_profile__id_number_masked",
            "applicant__graduate_profile__education_level",
            "applicant__graduate_profile__hometown__name",
            "applicant__graduate_profile__hometown__parent__name",
            "applicant__graduate_profile__major__name",
            "first_post",
            "first_village",
            "choices",
        )
    )
    by_id = {row[0]: row for row in values}
    detail_url = _url_maker("jobs:hr_application_detail")
    post_url = _url_maker("jobs:hr_post_applicants")
    statuses = {value: str(label) for value, label in ApplicationStatus.choices}
    levels = {value: str(label) for value, label in EducationLevel.choices}
    weight_written = Decimal(round_.weight_written)
    weight_interview = Decimal(round_.weight_interview)
    rows = []
    for pk in ids:
        if pk not in by_id:
            continue
        (
            _pk,
            status,
            written,
            interview,
            full_name,
            email,
            real_name,
            masked,
            level,
            hometown,
            hometown_parent,
            major,
            first_post,
            first_village,
            choices,
        ) = by_id[pk]
        total = None
        if written is not None and interview is not None:
            total = ((written * weight_written + interview * weight_interview) / 100).quantize(
                Decimal("0.01")
            )
        name = real_name or full_name or email
        more = max(0, (choices or 0) - 1)
        rows.append(
            {
                "pk": pk,
                "name": name,
                "url": detail_url(pk),
                "selectable": status == ApplicationStatus.SUBMITTED,
                "select_label": _("Select %(name)s") % {"name": name},
                "id_number_masked": masked or "",
                "hometown": hometown or "",
                "hometown_parent": hometown_parent or "",
                "education": levels.get(level, "") if level else "",
                "major": major or "—",
                "first_choice": first_village or "",
                "first_choice_url": post_url(first_post) if first_post else "",
                "more": ngettext("and %(count)d more", "and %(count)d more", more) % {"count": more}
                if more
                else "",
                "status": statuses.get(status, status),
                "written": _display(written),
                "interview": _display(interview),
                "total": total,
                "total_display": _display(total),
            }
        )
    page_obj.object_list = rows
    return page_obj


def application_for_hr(*, application_id: int, queryset: QuerySet[Application]) -> Application:
    """One application with everything its detail page shows (the caller scopes `queryset`)."""
    return (
        queryset.select_related(
            "round__region",
            "applicant__graduate_profile__hometown__parent",
            "applicant__graduate_profile__major",
            "applicant__graduate_profile__university",
            "reviewed_by",
        )
        .prefetch_related(
            Prefetch(
                "preferences",
                queryset=Preference.objects.select_related("post__village__parent").order_by(
                    "rank"
                ),
            ),
            "events__actor",
        )
        .get(pk=application_id)
    )


def post_applicants(*, post: Post, include_closed: bool = False) -> QuerySet[Preference]:
    """The post's applicants in priority order, as their preferences for it.

    With scores: the round's weighted total, highest first. Until both scores are in, an
    applicant ranks by how high they put the post (rank 1 first), then by submission time.
    Applications that are closed (rejected, withdrawn, …) are left out unless asked for.
    """
    round_ = post.round
    total = ExpressionWrapper(
        F("application__written_score")
        * Value(Decimal(round_.weight_written) / 100, output_field=SCORE_FIELD)
        + F("application__interview_score")
        * Value(Decimal(round_.weight_interview) / 100, output_field=SCORE_FIELD),
        output_field=SCORE_FIELD,
    )
    qs = Preference.objects.filter(post=post)
    if not include_closed:
        qs = qs.exclude(application__status__in=APPLICATION_CLOSED)
    return (
        qs.annotate(total=total)
        .select_related(
            "application__applicant__graduate_profile__hometown__parent",
            "application__applicant__graduate_profile__major",
        )
        .order_by(
            F("total").desc(nulls_last=True), "rank", "application__submitted_at", "application_id"
        )
    )


def _filter_choices_key(kind: str, round_: RecruitmentRound, generation: int) -> str:
    stamp = round_.created_at.timestamp() if round_.created_at else 0
    return f"jobs-hr:{generation}:{kind}:{round_.pk}:{stamp}"


def round_filter_choices(round_: RecruitmentRound) -> dict[str, list]:
    """The post and township choices of the list's filters, cached under the generation that
    every change of a round or a post bumps (`jobs_public_cache_invalidate`): one cache call."""
    generation = public_cache_generation()
    keys = {
        "posts": _filter_choices_key("posts", round_, generation),
        "townships": _filter_choices_key("townships", round_, generation),
    }
    found = cache.get_many(list(keys.values()))
    out, missing = {}, {}
    for kind, key in keys.items():
        value = found.get(key)
        if value is None:
            value = _round_posts(round_) if kind == "posts" else _round_townships(round_)
            missing[key] = value
        out[kind] = value
    if missing:
        cache.set_many(missing, FILTER_CHOICES_SECONDS)
    return out


def round_townships(round_: RecruitmentRound) -> list[tuple[str, str]]:
    """(code, name) of the townships that have posts in the round, for the filter form."""
    return round_filter_choices(round_)["townships"]


def round_posts(round_: RecruitmentRound) -> list[tuple[int, str]]:
    """(id, label) of the round's posts, for the filter form."""
    return round_filter_choices(round_)["posts"]


def _round_townships(round_: RecruitmentRound) -> list[tuple[str, str]]:
    from regions.models import Region

    parent_ids = (
        Post.objects.filter(round=round_).values_list("village__parent_id", flat=True).distinct()
    )
    return list(
        Region.objects.filter(pk__in=parent_ids).order_by("code").values_list("code", "name")
    )


def _round_posts(round_: RecruitmentRound) -> list[tuple[int, str]]:
    return [
        (pk, f"{village} · {title}")
        for pk, village, title in Post.objects.filter(round=round_)
        .order_by("region_path")
        .values_list("pk", "village__name", "title")
    ]
