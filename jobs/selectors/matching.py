"""Reads of match runs: the explanation of an applicant's result, run lists, statistics.

An explanation is built from the MatchResult of the latest *approved* run that contains the
application. Its `explanation` JSON lists every ranked choice in order, compactly:

    [[12, 1, 80100 | null, 82500 | null, 3], ...]
    (post id, rank, score and cut-off in thousandths, flags: 1 full, 2 eligible, 4 matched)

Runs stored before that format hold a list of dicts instead, which reads the same:

    [{"post": 12, "rank": 1, "score": "80.100" | null, "cutoff": "82.500" | null,
      "full": true, "eligible": true, "matched": false}, ...]

`score` is the applicant's priority at that post (weighted scores + bonuses), `cutoff` the
lowest score admitted there when the post had no place left, `full` whether it had no place
left at the end of the run, `eligible` false for a choice whose requirements the applicant no
longer met (never given to the engine). In a stable matching an applicant is never refused by
a post with a place left, so "not full" only appears on choices ranked below the one matched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.scope import filter_in_scope

from ..choices import MatchRunStatus
from ..models import Application, MatchResult, MatchRun, Post, PostCutoff


def score_display(value) -> str:
    """80.100 → "80.1", 82.5 → "82.5", 80 → "80" (two decimals at most)."""
    if value is None or value == "":
        return ""
    d = Decimal(str(value)).quantize(Decimal("0.01"))
    text = format(d.normalize(), "f")
    return text


def post_label(post: Post) -> str:
    """ "梅西镇 · 大院村" — township and village, which is how applicants know a post."""
    village = post.village
    township = village.parent.name if village.parent_id and village.parent else ""
    return f"{township} · {village.name}" if township else village.name


@dataclass
class ChoiceLine:
    rank: int
    post_id: int
    post: str
    score: str
    cutoff: str
    full: bool
    eligible: bool
    matched: bool
    text: str = ""


@dataclass
class Explanation:
    run_id: int
    matched: bool
    matched_rank: int | None
    matched_post: str
    summary: str
    choices: list[ChoiceLine] = field(default_factory=list)


def latest_approved_result(application: Application) -> MatchResult | None:
    return (
        MatchResult.objects.filter(application=application, run__status=MatchRunStatus.APPROVED)
        .select_related("run")
        .order_by("-run__approved_at", "-run_id")
        .first()
    )


def _choice_text(line: ChoiceLine) -> str:
    values = {"rank": line.rank, "post": line.post, "score": line.score, "cutoff": line.cutoff}
    if line.matched:
        return _("Choice no. %(rank)s, %(post)s: matched, your score %(score)s.") % values
    if not line.eligible:
        return (
            _(
                "Choice no. %(rank)s, %(post)s: not considered, you did not meet its "
                "requirements at the time of matching."
            )
            % values
        )
    if not line.full:
        return _("Choice no. %(rank)s, %(post)s: not full, your score %(score)s.") % values
    if not line.cutoff:
        return (
            _("Choice no. %(rank)s, %(post)s: no place left in this pass, your score %(score)s.")
            % values
        )
    if line.score == line.cutoff:
        return (
            _(
                "Choice no. %(rank)s, %(post)s: cut-off %(cutoff)s, your score %(score)s — equal "
                "to the cut-off; the place went by the recorded lottery."
            )
            % values
        )
    return _("Choice no. %(rank)s, %(post)s: cut-off %(cutoff)s, your score %(score)s.") % values


def _thousandths(value) -> Decimal | None:
    return None if value is None else Decimal(value).scaleb(-3)


def explanation_entries(raw) -> list[dict]:
    """A stored explanation as a list of dicts (post, rank, score, cutoff as Decimal or None,
    full, eligible, matched), whichever of the two formats it was stored in."""
    entries = []
    for e in raw or []:
        if isinstance(e, dict):
            entries.append(
                {
                    "post": e["post"],
                    "rank": e["rank"],
                    "score": None if e.get("score") is None else Decimal(str(e["score"])),
                    "cutoff": None if e.get("cutoff") is None else Decimal(str(e["cutoff"])),
                    "full": bool(e.get("full")),
                    "eligible": e.get("eligible", True),
                    "matched": bool(e.get("matched")),
                }
            )
        else:
            post, rank, score, cutoff, flags = e
            entries.append(
                {
                    "post": post,
                    "rank": rank,
                    "score": _thousandths(score),
                    "cutoff": _thousandths(cutoff),
                    "full": bool(flags & 1),
                    "eligible": bool(flags & 2),
                    "matched": bool(flags & 4),
                }
            )
    return entries


def explanation_build(result: MatchResult) -> Explanation:
    """The words for one MatchResult, in the active language."""
    entries = explanation_entries(result.explanation)
    posts = {
        p.pk: p
        for p in Post.objects.filter(pk__in=[e["post"] for e in entries]).select_related(
            "village__parent"
        )
    }
    lines = []
    for e in entries:
        post = posts.get(e["post"])
        line = ChoiceLine(
            rank=e["rank"],
            post_id=e["post"],
            post=post_label(post) if post else str(e["post"]),
            score=score_display(e.get("score")),
            cutoff=score_display(e.get("cutoff")),
            full=e["full"],
            eligible=e["eligible"],
            matched=e["matched"],
        )
        line.text = _choice_text(line)
        lines.append(line)
    matched = next((line for line in lines if line.matched), None)
    if matched is None:
        summary = _(
            "You were not matched to a post in this pass. Each of your choices, with its "
            "cut-off and your score there:"
        )
    elif matched.rank == 1 or not lines or lines[0].matched:
        summary = _("Matched to your first choice, %(post)s.") % {"post": matched.post}
    else:
        higher = lines[0]
        values = {
            "rank": matched.rank,
            "post": matched.post,
            "higher_rank": higher.rank,
            "higher_post": higher.post,
            "cutoff": higher.cutoff,
            "score": higher.score,
        }
        if not higher.eligible:
            summary = (
                _(
                    "Matched to your choice no. %(rank)s, %(post)s; you did not meet the "
                    "requirements of your choice no. %(higher_rank)s, %(higher_post)s."
                )
                % values
            )
        elif not higher.cutoff:
            summary = (
                _(
                    "Matched to your choice no. %(rank)s, %(post)s; your choice no. "
                    "%(higher_rank)s, %(higher_post)s, had no place left."
                )
                % values
            )
        else:
            summary = (
                _(
                    "Matched to your choice no. %(rank)s, %(post)s; your choice no. "
                    "%(higher_rank)s, %(higher_post)s, had a cut-off of %(cutoff)s and your "
                    "score there was %(score)s."
                )
                % values
            )
    return Explanation(
        run_id=result.run_id,
        matched=matched is not None,
        matched_rank=matched.rank if matched else None,
        matched_post=matched.post if matched else "",
        summary=summary,
        choices=lines,
    )


def application_explanation(application: Application) -> Explanation | None:
    """The explanation from the latest approved run containing the application, or None."""
    if application is None or not getattr(application, "pk", None):
        return None
    result = latest_approved_result(application)
    return explanation_build(result) if result else None


# --- HR reads ------------------------------------------------------------------------------


def runs_for_round(round_) -> QuerySet[MatchRun]:
    return (
        MatchRun.objects.filter(rounds=round_)
        .select_related("started_by", "approved_by")
        .prefetch_related("rounds")
        .order_by("-created_at", "-pk")
    )


def runs_in_scope(user) -> QuerySet[MatchRun]:
    """Runs every round of which lies in the user's HR scope."""
    from ..models import RecruitmentRound

    visible = filter_in_scope(RecruitmentRound.objects.all(), user).values("pk")
    outside = RecruitmentRound.objects.exclude(pk__in=visible).values("pk")
    return MatchRun.objects.exclude(rounds__in=outside).filter(rounds__in=visible).distinct()


def run_results(run: MatchRun) -> QuerySet[MatchResult]:
    return (
        MatchResult.objects.filter(run=run)
        .select_related("application__applicant", "application__round", "post__village__parent")
        .order_by("post__village__path", "application_id")
    )


def run_cutoffs(run: MatchRun) -> QuerySet[PostCutoff]:
    return (
        PostCutoff.objects.filter(run=run)
        .select_related("post__village__parent")
        .order_by("post__village__path")
    )


def run_in_scope_or_404(user, run_id: int) -> MatchRun:
    """A run every round of which lies in the user's HR scope, else 404."""
    from django.http import Http404

    from accounts.scope import region_in_scope

    run = MatchRun.objects.select_related("started_by", "approved_by").filter(pk=run_id).first()
    if run is None:
        raise Http404
    rounds = list(run.rounds.select_related("region"))
    if not rounds or not all(region_in_scope(user, r.region) for r in rounds):
        raise Http404
    return run
