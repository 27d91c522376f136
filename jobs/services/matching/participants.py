"""Loading a run's posts and participants, eligibility and priorities, the engine call.

Built for the province scale (100,000 applicants × 10 choices over 26,735 posts): a handful
of streaming `values_list` queries (server-side cursors on PostgreSQL), no model instances,
regions resolved once from one query into a dict of paths, eligibility checked on plain tuples
(`pair_eligible`, the same rules as `jobs.services.eligibility`), and scores handled as whole
thousandths (`int`) whenever the policy's bonuses are multiples of 0.001, which is exact:
rounding ``exam + bonuses`` to 0.001 equals rounding the exam part and adding the bonuses.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection

from ...choices import MatchRunKind
from ...matching import stable_match
from ...models import Application, Major, MatchRun, Post, Preference
from .backfill import backfill_seats_held
from .common import (
    BACKFILL_STATUSES,
    MATCH_STATUSES,
    P_LOADING,
    P_MATCHING,
    P_SCORING,
    P_STATISTICS,
)
from .pairs import PostRules, RegionInfo, applicant_rules, pair_eligible, post_rules, regions_index
from .priorities import PostFacts, policy_for, quantize
from .progress import ProgressReporter
from .scoring import _Scorer, milli_str
from .statistics import _statistics

CHUNK = 10_000

# --- the run's inputs ------------------------------------------------------------------------


class _Person:
    """One proposer: a person, with their applications' choices concatenated."""

    __slots__ = ("applications", "entries", "home", "user_id")

    def __init__(self, user_id: int, home: str) -> None:
        self.user_id = user_id
        self.home = home  # hometown path
        self.applications: list[int] = []
        # (post_id, rank, score in thousandths | None (ineligible), application_id)
        self.entries: list[tuple] = []


@dataclass
class RunOutcome:
    people: dict[int, _Person]
    application_person: dict[int, int]
    capacities: dict[int, int]
    held: dict[int, int]
    assignment: dict
    cutoffs: dict  # post → lowest admitted score in thousandths, or None
    vacancies: dict
    tiebreak: dict
    input_hash: str
    statistics: dict


def _score_str(value) -> str | None:
    return None if value is None else str(quantize(value))


def canonical_input_hash(
    choices: dict, capacities: dict, parameters: dict, *, milli: bool = False
) -> str:
    """sha256 of the canonical JSON (sorted keys and ids, scores as 3-decimal strings).

    `milli`: the scores are whole thousandths (ints); the hash is the same as for the
    equivalent Decimals.
    """
    as_str = milli_str if milli else _score_str
    digest = hashlib.sha256()
    digest.update(b'{"capacities":')
    digest.update(
        json.dumps([[p, capacities[p]] for p in sorted(capacities)], separators=(",", ":")).encode()
    )
    digest.update(b',"choices":[')
    for n, a in enumerate(sorted(choices)):
        if n:
            digest.update(b",")
        digest.update(
            json.dumps([a, [[p, as_str(s)] for p, s in choices[a]]], separators=(",", ":")).encode()
        )
    digest.update(b'],"parameters":')
    digest.update(json.dumps(parameters, sort_keys=True, separators=(",", ":")).encode())
    digest.update(b"}")
    return digest.hexdigest()


def _preferences(round_ids, statuses):
    """(application id, [post ids in rank order]) for the applications taking part.

    PostgreSQL aggregates the 1 M rows into one array per application on the server; other
    databases stream the rows and group them here.
    """
    prefs = Preference.objects.filter(
        application__round__in=round_ids, application__status__in=statuses
    )
    if connection.vendor == "postgresql":
        from django.contrib.postgres.aggregates import ArrayAgg

        yield from (
            prefs.order_by()
            .values("application_id")
            .annotate(posts=ArrayAgg("post_id", order_by=("rank",)))
            .values_list("application_id", "posts")
            .iterator(chunk_size=CHUNK)
        )
        return
    current, posts = None, []
    for app_id, post_id in (
        prefs.order_by("application_id", "rank")
        .values_list("application_id", "post_id")
        .iterator(chunk_size=CHUNK)
    ):
        if app_id != current:
            if current is not None:
                yield current, posts
            current, posts = app_id, []
        posts.append(post_id)
    if current is not None:
        yield current, posts


def _load_and_match(run: MatchRun, reporter: ProgressReporter) -> RunOutcome:
    from training.models import Certificate

    from ..eligibility import round_reference_date

    timings: dict[str, float] = {}
    t0 = time.monotonic()
    rounds = list(run.rounds.select_related("region", "preservice_path").order_by("pk"))
    round_ids = [r.pk for r in rounds]
    policies = {r.pk: policy_for(r, run.parameters) for r in rounds}
    scorers = {rid: _Scorer.of(p) for rid, p in policies.items()}
    exact = all(s.exact for s in scorers.values())
    reference_dates = {r.pk: round_reference_date(r) for r in rounds}
    backfill = run.kind == MatchRunKind.BACKFILL
    statuses = BACKFILL_STATUSES if backfill else MATCH_STATUSES

    # Posts (one query) and their majors (one query).
    reporter.report(2, P_LOADING)
    post_majors: dict[int, list[int]] = defaultdict(list)
    for post_id, major_id in Post.majors.through.objects.filter(
        post__round__in=round_ids
    ).values_list("post_id", "major_id"):
        post_majors[post_id].append(major_id)
    post_rows = list(
        Post.objects.filter(round__in=round_ids)
        .order_by("pk")
        .values_list(
            "pk",
            "round_id",
            "headcount",
            "village_id",
            "min_education",
            "full_time_required",
            "max_age_by_level",
            "hometown_restriction",
            "dialects",
        )
        .iterator(chunk_size=CHUNK)
    )

    # Applications taking part, with their applicant's profile (one query).
    reporter.report(6, P_LOADING)
    held, holders = backfill_seats_held(round_ids) if backfill else ({}, set())
    app_rows = []
    for row in (
        Application.objects.filter(round__in=round_ids, status__in=statuses)
        .order_by("pk")
        .values_list(
            "pk",
            "round_id",
            "applicant_id",
            "written_score",
            "interview_score",
            "submitted_at",
            "applicant__graduate_profile__pk",
            "applicant__graduate_profile__hometown_id",
            "applicant__graduate_profile__political_status",
            "applicant__graduate_profile__dialects",
            "applicant__graduate_profile__education_level",
            "applicant__graduate_profile__full_time",
            "applicant__graduate_profile__major_id",
            "applicant__graduate_profile__birth_date",
        )
        .iterator(chunk_size=CHUNK)
    ):
        if row[2] in holders:
            continue
        policy = policies[row[1]]
        if (row[3] is None and policy.weight_written) or (
            row[4] is None and policy.weight_interview
        ):
            continue  # scores missing: not ready to be matched
        app_rows.append(row)

    # Regions of posts and hometowns, majors' codes, pre-service certificates.
    reporter.report(12, P_LOADING)
    regions = regions_index({r[3] for r in post_rows} | {r[7] for r in app_rows})
    major_codes = dict(
        Major.objects.filter(pk__in={r[12] for r in app_rows if r[12]}).values_list("pk", "code")
    )
    preservice_keys = {p.preservice_path_key for p in policies.values() if p.preservice_path_key}
    preservice: set[tuple[int, str]] = set()
    if preservice_keys:
        preservice = {
            (u, str(k))
            for u, k in Certificate.objects.filter(
                path__translation_key__in=preservice_keys, revoked_at__isnull=True
            ).values_list("user_id", "path__translation_key")
        }

    posts: dict[int, PostFacts] = {}
    rules: dict[int, PostRules] = {}
    capacities: dict[int, int] = {}
    post_round: dict[int, int] = {}
    blank = RegionInfo("", "", "", None, None, False)
    for pid, rid, headcount, village_id, min_ed, ft, max_age, restriction, dialects in post_rows:
        village = regions.get(village_id, blank)
        posts[pid] = PostFacts(
            village_path=village.path,
            township_path=village.township_path,
            county_path=village.county_path,
            under_served=village.under_served,
            dialects=tuple(dialects or ()),
        )
        rules[pid] = post_rules(
            min_education=min_ed,
            full_time_required=ft,
            majors=post_majors.get(pid),
            max_age_by_level=max_age,
            restriction=restriction,
            village=village,
            dialects=dialects,
        )
        capacities[pid] = max(0, headcount - held.get(pid, 0))
        post_round[pid] = rid
    del post_rows, post_majors
    timings["load"] = time.monotonic() - t0

    # Preferences → people with scored, eligibility-checked entries.
    t1 = time.monotonic()
    reporter.report(20, P_SCORING)
    by_app: dict[int, list[int]] = {}
    for app_id, post_ids in _preferences(round_ids, statuses):
        by_app[app_id] = post_ids
    reporter.report(28, P_SCORING)

    people: dict[int, _Person] = {}
    application_person: dict[int, int] = {}
    app_rows.sort(key=lambda r: (r[5], r[0]))  # earliest application first
    ineligible = 0
    no_profile = 0
    total = max(1, len(app_rows))
    for n, row in enumerate(app_rows):
        if n % 5000 == 0:
            reporter.report(28 + 22 * n // total, P_SCORING)
        (
            app_id,
            round_id,
            user_id,
            written,
            interview,
            _submitted,
            profile_id,
            hometown_id,
            political,
            dialects,
            education,
            full_time,
            major_id,
            birth_date,
        ) = row
        if profile_id is None:
            no_profile += 1
            continue
        home = regions.get(hometown_id) if hometown_id else None
        home_path = home.path if home else ""
        a_dialects = frozenset(dialects or ())
        scorer = scorers[round_id]
        key = policies[round_id].preservice_path_key
        fixed = scorer.applicant_part(
            written,
            interview,
            a_dialects,
            political or "",
            education or "",
            major_codes.get(major_id, ""),
            bool(key) and (user_id, key) in preservice,
        )
        a_rules = applicant_rules(
            education_level=education,
            full_time=full_time,
            major_id=major_id,
            birth_date=birth_date,
            hometown=home,
            dialects=dialects,
        )
        reference_date = reference_dates[round_id]
        person = people.get(user_id)
        if person is None:
            person = people[user_id] = _Person(user_id, home_path)
        person.applications.append(app_id)
        application_person[app_id] = user_id
        entries = person.entries
        fixed_milli = scorer.fixed_milli(fixed)
        for post_id in by_app.get(app_id, ()):
            if post_round.get(post_id) != round_id:
                continue  # a post of another round: cannot happen through the forms
            rank = len(entries) + 1
            if not pair_eligible(a_rules, rules[post_id], reference_date):
                ineligible += 1
                entries.append((post_id, rank, None, app_id))
                continue
            score = scorer.score(fixed, fixed_milli, home_path, posts[post_id], a_dialects)
            entries.append((post_id, rank, score, app_id))
    del by_app, app_rows, regions
    choices = {
        uid: [(e[0], e[2]) for e in person.entries if e[2] is not None]
        for uid, person in people.items()
    }
    input_hash = canonical_input_hash(choices, capacities, run.parameters, milli=True)
    timings["score"] = time.monotonic() - t1

    t2 = time.monotonic()
    reporter.report(50, P_MATCHING)
    result = stable_match(choices, capacities, seed=run.seed)
    timings["match"] = time.monotonic() - t2
    del choices

    # Stability, as the explanations promise it: a choice ranked above one's result had no
    # place left. (An applicant is never refused by a post with room.)
    vacancies = result.vacancies
    for uid, person in people.items():
        got = result.assignment.get(uid)
        for post_id, _rank, score, _app in person.entries:
            if post_id == got:
                break
            if score is not None and vacancies[post_id] > 0:
                raise AssertionError(
                    f"unstable: applicant {uid} refused by post {post_id} with places left"
                )

    t3 = time.monotonic()
    reporter.report(55, P_STATISTICS)
    statistics = _statistics(
        run=run,
        rounds=rounds,
        people=people,
        posts=posts,
        capacities=capacities,
        held=held,
        assignment=result.assignment,
        vacancies=vacancies,
        policies=policies,
    )
    statistics["ineligible_pairs"] = ineligible
    statistics["applications_without_profile"] = no_profile
    statistics["applications"] = len(application_person)
    timings["statistics"] = time.monotonic() - t3
    statistics["timings"] = {k: round(v, 3) for k, v in timings.items()}
    statistics["exact_thousandths"] = exact
    return RunOutcome(
        people=people,
        application_person=application_person,
        capacities=capacities,
        held=dict(held),
        assignment=result.assignment,
        cutoffs=result.cutoffs,
        vacancies=vacancies,
        tiebreak=result.tiebreak,
        input_hash=input_hash,
        statistics=statistics,
    )
