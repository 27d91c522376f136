"""Loading a run's posts and participants, eligibility and priorities, the engine call."""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from regions.models import Region

from ...choices import (
    PLACEMENT_ACTIVE,
    MatchRunKind,
    OfferStatus,
)
from ...matching import stable_match
from ...models import (
    Application,
    GraduateProfile,
    MatchRun,
    Offer,
    Post,
    Preference,
)
from .common import (
    BACKFILL_STATUSES,
    MATCH_STATUSES,
    P_LOADING,
    P_MATCHING,
    P_SCORING,
    P_STATISTICS,
)
from .priorities import (
    ApplicantFacts,
    applicant_bonus,
    base_score,
    policy_for,
    post_bonus,
    post_facts,
    quantize,
)
from .progress import ProgressReporter
from .statistics import _statistics

# --- eligibility (helper C's rules, on light objects) --------------------------------------


class _Light:
    """A plain attribute holder standing in for a model instance in the eligibility checks."""

    def __init__(self, **kw) -> None:
        self.__dict__.update(kw)


class _Majors:
    __slots__ = ("items",)

    def __init__(self, items) -> None:
        self.items = items

    def all(self):
        return self.items


def _pair_failures(check, profile, post, reference_date) -> bool:
    """True when `profile` fails at least one of `post`'s rules."""
    failures, hometown = check(profile, post, reference_date)
    return bool(failures) or hometown is not None


# --- executing ---------------------------------------------------------------------------


@dataclass
class _Person:
    """One proposer: a person, with their applications' choices concatenated."""

    user_id: int
    home: str = ""  # hometown path
    applications: list[int] = field(default_factory=list)
    # [post_id, rank, score | None (ineligible), application_id]
    entries: list[list] = field(default_factory=list)


@dataclass
class RunOutcome:
    people: dict[int, _Person]
    application_person: dict[int, int]
    capacities: dict[int, int]
    held: dict[int, int]
    assignment: dict
    cutoffs: dict
    vacancies: dict
    tiebreak: dict
    input_hash: str
    statistics: dict


def _score_str(value: Decimal | None) -> str | None:
    return None if value is None else str(quantize(value))


def canonical_input_hash(choices: dict, capacities: dict, parameters: dict) -> str:
    """sha256 of the canonical JSON (sorted keys and ids, scores as 3-decimal strings)."""
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
            json.dumps(
                [a, [[p, _score_str(s)] for p, s in choices[a]]], separators=(",", ":")
            ).encode()
        )
    digest.update(b'],"parameters":')
    digest.update(json.dumps(parameters, sort_keys=True, separators=(",", ":")).encode())
    digest.update(b"}")
    return digest.hexdigest()


def _load_and_match(run: MatchRun, reporter: ProgressReporter) -> RunOutcome:
    from training.models import Certificate

    from ..eligibility import _check_post, round_reference_date

    timings: dict[str, float] = {}
    t0 = time.monotonic()
    rounds = list(run.rounds.select_related("region", "preservice_path").order_by("pk"))
    round_ids = [r.pk for r in rounds]
    policies = {r.pk: policy_for(r, run.parameters) for r in rounds}
    reference_dates = {r.pk: round_reference_date(r) for r in rounds}
    backfill = run.kind == MatchRunKind.BACKFILL
    statuses = BACKFILL_STATUSES if backfill else MATCH_STATUSES

    # Posts, their majors, under-served regions.
    reporter.report(2, P_LOADING)
    under_served = set(Region.objects.filter(under_served=True).values_list("path", flat=True))
    post_majors: dict[int, list] = defaultdict(list)
    for post_id, major_id in Post.majors.through.objects.filter(
        post__round__in=round_ids
    ).values_list("post_id", "major_id"):
        post_majors[post_id].append(_Light(pk=major_id, name=""))
    posts: dict[int, tuple] = {}
    capacities: dict[int, int] = {}
    post_light: dict[int, _Light] = {}
    post_round: dict[int, int] = {}
    for (
        pid,
        round_id,
        headcount,
        vpath,
        min_education,
        full_time_required,
        max_age,
        restriction,
        dialects,
    ) in (
        Post.objects.filter(round__in=round_ids)
        .order_by("pk")
        .values_list(
            "pk",
            "round_id",
            "headcount",
            "village__path",
            "min_education",
            "full_time_required",
            "max_age_by_level",
            "hometown_restriction",
            "dialects",
        )
        .iterator(chunk_size=5000)
    ):
        posts[pid] = post_facts(
            village_path=vpath, under_served_paths=under_served, dialects=dialects
        )
        capacities[pid] = headcount
        post_round[pid] = round_id
        post_light[pid] = _Light(
            pk=pid,
            min_education=min_education,
            full_time_required=full_time_required,
            majors=_Majors(post_majors.get(pid, [])),
            max_age_by_level=max_age,
            hometown_restriction=restriction,
            village=_Light(path=vpath),
            dialects=dialects,
        )
    del post_majors

    # Seats kept by a backfill: pending offers and accepted ones whose placement holds the seat.
    held: dict[int, int] = Counter()
    holders: set[int] = set()
    if backfill:
        for post_id, status, user_id, placement_status in Offer.objects.filter(
            post__round__in=round_ids, status__in=[OfferStatus.PENDING, OfferStatus.ACCEPTED]
        ).values_list("post_id", "status", "application__applicant_id", "placement__status"):
            holders.add(user_id)
            if status == OfferStatus.ACCEPTED and placement_status not in (
                None,
                *PLACEMENT_ACTIVE,
            ):
                continue  # the placement ended: its seat is free again
            held[post_id] += 1
        for pid in capacities:
            capacities[pid] = max(0, capacities[pid] - held.get(pid, 0))

    # Applications taking part.
    reporter.report(8, P_LOADING)
    apps: dict[int, tuple] = {}
    for app_id, round_id, user_id, written, interview, submitted in (
        Application.objects.filter(round__in=round_ids, status__in=statuses)
        .order_by("pk")
        .values_list(
            "pk",
            "round_id",
            "applicant_id",
            "written_score",
            "interview_score",
            "submitted_at",
        )
        .iterator(chunk_size=5000)
    ):
        if user_id in holders:
            continue
        policy = policies[round_id]
        if (written is None and policy.weight_written) or (
            interview is None and policy.weight_interview
        ):
            continue  # scores missing: not ready to be matched
        apps[app_id] = (round_id, user_id, written, interview, submitted)
    user_ids = {a[1] for a in apps.values()}

    reporter.report(14, P_LOADING)
    preservice_keys = {p.preservice_path_key for p in policies.values() if p.preservice_path_key}
    preservice: set[tuple[int, str]] = set()
    if preservice_keys:
        preservice = set(
            Certificate.objects.filter(
                path__translation_key__in=preservice_keys, revoked_at__isnull=True
            ).values_list("user_id", "path__translation_key")
        )
        preservice = {(u, str(k)) for u, k in preservice}

    profiles: dict[int, tuple[_Light, ApplicantFacts]] = {}
    for (
        user_id,
        hometown_path,
        political_status,
        dialects,
        education_level,
        full_time,
        major_id,
        major_code,
        birth_date,
    ) in (
        GraduateProfile.objects.filter(
            user__applications__round__in=round_ids,
            user__applications__status__in=statuses,
        )
        .values_list(
            "user_id",
            "hometown__path",
            "political_status",
            "dialects",
            "education_level",
            "full_time",
            "major_id",
            "major__code",
            "birth_date",
        )
        .iterator(chunk_size=5000)
    ):
        if user_id not in user_ids or user_id in profiles:
            continue
        light = _Light(
            education_level=education_level,
            full_time=full_time,
            major_id=major_id,
            major=_Light(name=major_code or ""),
            birth_date=birth_date,
            hometown=_Light(path=hometown_path or "", name=""),
            dialects=dialects or [],
        )
        facts = ApplicantFacts(
            written=None,
            interview=None,
            hometown_path=hometown_path or "",
            political_status=political_status or "",
            dialects=tuple(dialects or ()),
            education_level=education_level or "",
            major_code=major_code or "",
        )
        profiles[user_id] = (light, facts)
    timings["load"] = time.monotonic() - t0

    # Preferences → people with scored, eligibility-checked entries.
    t1 = time.monotonic()
    reporter.report(20, P_SCORING)
    by_app: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for app_id, post_id, rank in (
        Preference.objects.filter(
            application__round__in=round_ids, application__status__in=statuses
        )
        .order_by("application_id", "rank")
        .values_list("application_id", "post_id", "rank")
        .iterator(chunk_size=20000)
    ):
        if app_id in apps:
            by_app[app_id].append((post_id, rank))

    people: dict[int, _Person] = {}
    application_person: dict[int, int] = {}
    order = sorted(apps, key=lambda a: (apps[a][4], a))  # earliest application first
    ineligible = 0
    no_profile = 0
    total = max(1, len(order))
    app_facts: dict[int, ApplicantFacts] = {}
    for n, app_id in enumerate(order):
        if n % 5000 == 0:
            reporter.report(20 + 30 * n // total, P_SCORING)
        round_id, user_id, written, interview, _submitted = apps[app_id]
        prof = profiles.get(user_id)
        if prof is None:
            no_profile += 1
            continue
        light, base_facts = prof
        facts = ApplicantFacts(
            written=written,
            interview=interview,
            hometown_path=base_facts.hometown_path,
            political_status=base_facts.political_status,
            dialects=base_facts.dialects,
            education_level=base_facts.education_level,
            major_code=base_facts.major_code,
            preservice_done=(
                (user_id, policies[round_id].preservice_path_key) in preservice
                if policies[round_id].preservice_path_key
                else False
            ),
        )
        app_facts[app_id] = facts
        policy = policies[round_id]
        fixed_part = base_score(policy, facts) + applicant_bonus(policy, facts)
        reference_date = reference_dates[round_id]
        person = people.get(user_id)
        if person is None:
            person = people[user_id] = _Person(user_id=user_id, home=facts.hometown_path)
        person.applications.append(app_id)
        application_person[app_id] = user_id
        for post_id, _rank in by_app.get(app_id, ()):
            if post_id not in posts or post_round[post_id] != round_id:
                continue  # a post of another round: cannot happen through the forms
            rank = len(person.entries) + 1
            if _pair_failures(_check_post, light, post_light[post_id], reference_date):
                ineligible += 1
                person.entries.append([post_id, rank, None, app_id])
                continue
            score = quantize(fixed_part + post_bonus(policy, facts, posts[post_id]))
            person.entries.append([post_id, rank, score, app_id])
    del by_app, profiles
    choices = {
        uid: [(e[0], e[2]) for e in person.entries if e[2] is not None]
        for uid, person in people.items()
    }
    input_hash = canonical_input_hash(choices, capacities, run.parameters)
    timings["score"] = time.monotonic() - t1

    t2 = time.monotonic()
    reporter.report(50, P_MATCHING)
    result = stable_match(choices, capacities, seed=run.seed)
    timings["match"] = time.monotonic() - t2
    del choices

    # Stability, as the explanations promise it: a choice ranked above one's result had no
    # place left. (An applicant is never refused by a post with room.)
    for uid, person in people.items():
        got = result.assignment.get(uid)
        for post_id, _rank, score, _app in person.entries:
            if post_id == got:
                break
            if score is not None and result.vacancies[post_id] > 0:
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
        vacancies=result.vacancies,
        policies=policies,
    )
    statistics["ineligible_pairs"] = ineligible
    statistics["applications_without_profile"] = no_profile
    statistics["applications"] = len(application_person)
    timings["statistics"] = time.monotonic() - t3
    statistics["timings"] = {k: round(v, 3) for k, v in timings.items()}
    return RunOutcome(
        people=people,
        application_person=application_person,
        capacities=capacities,
        held=dict(held),
        assignment=result.assignment,
        cutoffs=result.cutoffs,
        vacancies=result.vacancies,
        tiebreak=result.tiebreak,
        input_hash=input_hash,
        statistics=statistics,
    )
