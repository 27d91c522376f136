"""Match runs: priorities from policy, runs in the background, approval, backfill, simulation.

See docs/matching.md for the whole story. In short:

- **Priorities.** A post's score for an applicant is
  ``weight_written% × written + weight_interview% × interview + bonuses``, rounded to 0.001.
  Bonuses: hometown (户籍) in the post's village, else its township, else its county — only the
  best of the three applies; the round's pre-service learning path completed on this platform
  (a valid path certificate); the post's village or one of its ancestors under-served; and the
  round's `extra_bonuses` (rules below). Scores of 0-weighted parts may be missing.
- **Who takes part.** Applications in status SCORED, or ELIGIBLE with both scores entered (a
  backfill also takes UNMATCHED ones), their preferences in rank order, minus every post whose
  requirements the applicant does not meet at the time of the run (helper C's eligibility
  rules, `jobs.services.eligibility`): ineligible pairs never reach the engine.
- **One person, one post.** The engine's proposer is the person (user id). In a joint run over
  several rounds, a person's applications are concatenated: the earliest-submitted application's
  choices first, each in its own rank order.
- **Runs.** `match_run_start` locks the rounds (two runs of one round never overlap) and enqueues
  `match_run_execute`, which loads, scores, matches and writes every result in one transaction
  at the end: a killed worker leaves nothing half-applied. Progress is written by a heartbeat
  thread on its own connection (PostgreSQL) every second; a run silent for
  `STALE_AFTER` is a lost worker, which `match_run_restart` marks failed and runs again.
- **Approval** turns a SUCCEEDED match or backfill run into offers (never a simulation).
- **Backfill** keeps every accepted placement and every pending offer: the capacity left is
  headcount − active placements − pending offers; people holding a pending or accepted offer
  in these rounds, and those who declined, let an offer expire, withdrew or were rejected, are
  out.

Extra bonus rules (`RecruitmentRound.extra_bonuses`, a list)::

    {"name": "党员", "points": 1, "rule": "political_status", "value": "cpc_member"}
    {"name": "客家话", "points": 0.5, "rule": "dialect", "value": "hakka"}
    {"name": "硕士", "points": 1, "rule": "education_level", "value": "master"}   # at least
    {"name": "对口专业", "points": 1, "rule": "major", "value": ["080901", "120402"]}
    {"name": "本地方言", "points": 1, "rule": "post_dialect"}   # speaks a dialect the post lists

`value` may be one value or a list (any of them). Every matching rule adds its points.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import secrets
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import close_old_connections, connection, transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.audit import audit_record
from accounts.choices import AuditAction
from accounts.scope import region_in_scope
from regions.models import PATH_SEPARATOR, Region

from ..choices import (
    EDUCATION_RANK,
    PLACEMENT_ACTIVE,
    ApplicationStatus,
    Dialect,
    MatchRunKind,
    MatchRunStatus,
    OfferStatus,
    PoliticalStatus,
    RoundStage,
)
from ..matching import stable_match
from ..models import (
    Application,
    GraduateProfile,
    MatchResult,
    MatchRun,
    Offer,
    Post,
    PostCutoff,
    Preference,
    RecruitmentRound,
)

logger = logging.getLogger(__name__)

SCORE_QUANTUM = Decimal("0.001")
HUNDRED = Decimal(100)
# A RUNNING or QUEUED run that has not written progress for this long lost its worker.
STALE_AFTER = datetime.timedelta(minutes=3)
# The heartbeat thread writes progress at least this often (seconds).
HEARTBEAT_SECONDS = 1.0
RESULT_BATCH = 2000

PRIORITY_FIELDS = (
    "weight_written",
    "weight_interview",
    "bonus_home_village",
    "bonus_home_township",
    "bonus_home_county",
    "bonus_preservice",
    "bonus_under_served",
)
EXTRA_RULES = ("political_status", "dialect", "education_level", "major", "post_dialect")

# Who takes part in a pass.
MATCH_STATUSES = (ApplicationStatus.SCORED, ApplicationStatus.ELIGIBLE)
BACKFILL_STATUSES = (*MATCH_STATUSES, ApplicationStatus.UNMATCHED)
# Stages in which each kind of run may start.
KIND_STAGES = {
    MatchRunKind.MATCH: {RoundStage.MATCHING},
    MatchRunKind.BACKFILL: {
        RoundStage.MATCHING,
        RoundStage.OFFERS,
        RoundStage.PUBLIC_NOTICE,
        RoundStage.ONBOARDING,
    },
    MatchRunKind.SIMULATION: {
        RoundStage.SCORING,
        RoundStage.MATCHING,
        RoundStage.OFFERS,
        RoundStage.PUBLIC_NOTICE,
        RoundStage.ONBOARDING,
    },
}

# Error texts stored on a run (English msgids, shown translated).
ERROR_INTERNAL = gettext_noop(
    "The run failed because of an internal error; nothing was applied. You can restart it."
)
ERROR_STALE = gettext_noop(
    "The run stopped reporting progress (its worker was probably stopped); nothing was "
    "applied. You can restart it."
)
ERROR_SUPERSEDED = gettext_noop("The run was stopped before it finished; nothing was applied.")

# Progress messages (English msgids, shown translated).
P_QUEUED = gettext_noop("Waiting for a worker")
P_LOADING = gettext_noop("Loading posts and applications")
P_SCORING = gettext_noop("Checking eligibility and computing priorities")
P_MATCHING = gettext_noop("Matching")
P_STORING = gettext_noop("Saving results")
P_STATISTICS = gettext_noop("Computing statistics")
P_DONE = gettext_noop("Done")


class MatchRunError(Exception):
    """A refused action on a run, with a message for the officer (already translated)."""

    def __init__(self, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# --- priorities ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ExtraBonus:
    name: str
    points: Decimal
    rule: str
    values: frozenset[str]


@dataclass(frozen=True)
class Policy:
    """The numbers a round scores with (after a simulation's overrides)."""

    weight_written: Decimal
    weight_interview: Decimal
    bonus_home_village: Decimal
    bonus_home_township: Decimal
    bonus_home_county: Decimal
    bonus_preservice: Decimal
    bonus_under_served: Decimal
    extra_bonuses: tuple[ExtraBonus, ...] = ()
    preservice_path_key: str | None = None

    def as_json(self) -> dict:
        data = {name: str(getattr(self, name)) for name in PRIORITY_FIELDS}
        data["extra_bonuses"] = [
            {"name": b.name, "points": str(b.points), "rule": b.rule, "value": sorted(b.values)}
            for b in self.extra_bonuses
        ]
        return data


@dataclass(slots=True)
class ApplicantFacts:
    """What a priority depends on, about one applicant (one application)."""

    written: Decimal | None
    interview: Decimal | None
    hometown_path: str = ""
    political_status: str = ""
    dialects: tuple[str, ...] = ()
    education_level: str = ""
    major_code: str = ""
    preservice_done: bool = False


@dataclass(slots=True)
class PostFacts:
    """What a priority depends on, about one post."""

    village_path: str
    township_path: str
    county_path: str
    under_served: bool = False
    dialects: tuple[str, ...] = ()


def _decimal(value, *, label: str) -> Decimal:
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        raise MatchRunError(
            _("%(field)s must be a number, not “%(value)s”.") % {"field": label, "value": value},
            code="bad_parameters",
        ) from None
    if not d.is_finite() or d < 0 or d > 100:
        raise MatchRunError(
            _("%(field)s must be between 0 and 100, not %(value)s.")
            % {"field": label, "value": value},
            code="bad_parameters",
        )
    return d


def extra_bonuses_clean(raw) -> list[dict]:
    """Check a list of extra bonus rules; returns it normalised (points as strings)."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise MatchRunError(_("Other bonuses must be a list of rules."), code="bad_parameters")
    allowed_values = {
        "political_status": set(PoliticalStatus.values),
        "dialect": set(Dialect.values),
        "education_level": set(EDUCATION_RANK),
    }
    cleaned = []
    for i, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            raise MatchRunError(
                _("Other bonus no. %(n)s is not a rule.") % {"n": i}, code="bad_parameters"
            )
        rule = item.get("rule")
        if rule not in EXTRA_RULES:
            raise MatchRunError(
                _("Other bonus no. %(n)s: unknown rule “%(rule)s” (known: %(known)s).")
                % {"n": i, "rule": rule, "known": ", ".join(EXTRA_RULES)},
                code="bad_parameters",
            )
        points = _decimal(item.get("points"), label=_("Other bonus no. %(n)s points") % {"n": i})
        value = item.get("value", [])
        values = [value] if isinstance(value, str) else list(value or [])
        if rule != "post_dialect" and not values:
            raise MatchRunError(
                _("Other bonus no. %(n)s: the rule needs a value.") % {"n": i},
                code="bad_parameters",
            )
        if rule in allowed_values:
            unknown = [v for v in values if v not in allowed_values[rule]]
            if unknown:
                raise MatchRunError(
                    _("Other bonus no. %(n)s: unknown value “%(value)s”.")
                    % {"n": i, "value": unknown[0]},
                    code="bad_parameters",
                )
        cleaned.append(
            {
                "name": str(item.get("name") or rule)[:60],
                "points": str(points),
                "rule": rule,
                "value": [str(v) for v in values],
            }
        )
    return cleaned


def parameters_clean(parameters: dict | None) -> dict:
    """A simulation's overrides: any of PRIORITY_FIELDS (0-100) and `extra_bonuses`."""
    parameters = parameters or {}
    if not isinstance(parameters, dict):
        raise MatchRunError(_("Parameters must be an object."), code="bad_parameters")
    unknown = sorted(set(parameters) - {*PRIORITY_FIELDS, "extra_bonuses"})
    if unknown:
        raise MatchRunError(
            _("Unknown parameter “%(name)s”.") % {"name": unknown[0]}, code="bad_parameters"
        )
    cleaned: dict = {}
    for name in PRIORITY_FIELDS:
        if name in parameters and parameters[name] not in (None, ""):
            label = str(RecruitmentRound._meta.get_field(name).verbose_name)
            cleaned[name] = str(_decimal(parameters[name], label=label))
    if "extra_bonuses" in parameters:
        cleaned["extra_bonuses"] = extra_bonuses_clean(parameters["extra_bonuses"])
    return cleaned


def policy_for(round_: RecruitmentRound, overrides: dict | None = None) -> Policy:
    """The round's policy, with a simulation's (already cleaned) overrides on top."""
    overrides = overrides or {}
    values = {
        name: Decimal(str(overrides[name])) if name in overrides else getattr(round_, name)
        for name in PRIORITY_FIELDS
    }
    extras_raw = overrides.get("extra_bonuses", round_.extra_bonuses)
    extras = tuple(
        ExtraBonus(
            name=item["name"],
            points=Decimal(item["points"]),
            rule=item["rule"],
            values=frozenset(item["value"]),
        )
        for item in extra_bonuses_clean(extras_raw)
    )
    path_key = None
    if round_.preservice_path_id:
        path_key = str(round_.preservice_path.translation_key)
    return Policy(**values, extra_bonuses=extras, preservice_path_key=path_key)


def path_codes(path: str) -> list[str]:
    return [code for code in path.split(PATH_SEPARATOR) if code]


def county_path_of(path: str) -> str:
    """The path down to the county-level unit (the deepest six-digit code, as eligibility does)."""
    codes = path_codes(path)
    six = [i for i, code in enumerate(codes) if len(code) == 6]
    if len(six) < 2:
        return ""
    return PATH_SEPARATOR.join(codes[: six[-1] + 1]) + PATH_SEPARATOR


def post_facts(
    *, village_path: str, under_served_paths: Iterable[str] = (), dialects=()
) -> PostFacts:
    codes = path_codes(village_path)
    township = PATH_SEPARATOR.join(codes[:-1]) + PATH_SEPARATOR if len(codes) > 1 else ""
    prefixes = {PATH_SEPARATOR.join(codes[: i + 1]) + PATH_SEPARATOR for i in range(len(codes))}
    return PostFacts(
        village_path=village_path,
        township_path=township,
        county_path=county_path_of(village_path),
        under_served=bool(prefixes & set(under_served_paths)),
        dialects=tuple(dialects or ()),
    )


def base_score(policy: Policy, applicant: ApplicantFacts) -> Decimal:
    """The weighted exam part (a missing score counts 0; callers require those with weight)."""
    written = applicant.written or Decimal(0)
    interview = applicant.interview or Decimal(0)
    return policy.weight_written * written / HUNDRED + policy.weight_interview * interview / HUNDRED


def _applicant_rule_met(bonus: ExtraBonus, applicant: ApplicantFacts) -> bool:
    if bonus.rule == "political_status":
        return applicant.political_status in bonus.values
    if bonus.rule == "dialect":
        return bool(bonus.values & set(applicant.dialects))
    if bonus.rule == "major":
        return applicant.major_code in bonus.values
    if bonus.rule == "education_level":
        rank = EDUCATION_RANK.get(applicant.education_level, -1)
        return any(rank >= EDUCATION_RANK[v] for v in bonus.values)
    return False  # post_dialect depends on the post: see post_bonus


def applicant_bonus(policy: Policy, applicant: ApplicantFacts) -> Decimal:
    """The bonuses that do not depend on the post."""
    total = Decimal(0)
    if applicant.preservice_done and policy.preservice_path_key:
        total += policy.bonus_preservice
    for bonus in policy.extra_bonuses:
        if _applicant_rule_met(bonus, applicant):
            total += bonus.points
    return total


def hometown_bonus(policy: Policy, applicant: ApplicantFacts, post: PostFacts) -> Decimal:
    """Village, else township, else county: only the best one applies."""
    home = applicant.hometown_path
    if not home:
        return Decimal(0)
    if home == post.village_path:
        return policy.bonus_home_village
    if post.township_path and home.startswith(post.township_path):
        return policy.bonus_home_township
    if post.county_path and home.startswith(post.county_path):
        return policy.bonus_home_county
    return Decimal(0)


def post_bonus(policy: Policy, applicant: ApplicantFacts, post: PostFacts) -> Decimal:
    total = hometown_bonus(policy, applicant, post)
    if post.under_served:
        total += policy.bonus_under_served
    for bonus in policy.extra_bonuses:
        if bonus.rule == "post_dialect" and set(post.dialects) & set(applicant.dialects):
            total += bonus.points
    return total


def quantize(value: Decimal) -> Decimal:
    return value.quantize(SCORE_QUANTUM, rounding=ROUND_HALF_UP)


def priority_score(*, policy: Policy, applicant: ApplicantFacts, post: PostFacts) -> Decimal:
    """A post's score for an applicant (higher wins), rounded to 0.001."""
    return quantize(
        base_score(policy, applicant)
        + applicant_bonus(policy, applicant)
        + post_bonus(policy, applicant, post)
    )


def priority_breakdown(*, policy: Policy, applicant: ApplicantFacts, post: PostFacts) -> dict:
    """The parts of `priority_score`, for HR and tests."""
    return {
        "exam": quantize(base_score(policy, applicant)),
        "hometown": hometown_bonus(policy, applicant, post),
        "applicant_bonuses": applicant_bonus(policy, applicant),
        "post_bonuses": post_bonus(policy, applicant, post)
        - hometown_bonus(policy, applicant, post),
        "total": priority_score(policy=policy, applicant=applicant, post=post),
    }


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


# --- progress --------------------------------------------------------------------------------


class ProgressReporter:
    """Writes a run's progress outside the main transaction.

    On PostgreSQL a heartbeat thread (its own connection) writes at least every
    HEARTBEAT_SECONDS, so progress keeps moving while the main thread is busy in the engine or
    inside the results transaction. On SQLite (tests) it writes inline, at most once a second.
    """

    def __init__(self, run_id: int, *, threaded: bool | None = None) -> None:
        self.run_id = run_id
        self.percent = 0
        self.message = P_LOADING
        self.threaded = connection.vendor == "postgresql" if threaded is None else threaded
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._last_write = 0.0
        self.writes: list[float] = []
        self._thread = None
        if self.threaded:
            self._thread = threading.Thread(target=self._loop, name=f"match-run-{run_id}")
            self._thread.daemon = True
            self._thread.start()

    def report(self, percent: int, message: str | None = None) -> None:
        with self._lock:
            self.percent = max(0, min(99, int(percent)))
            if message:
                self.message = message
        if not self.threaded and time.monotonic() - self._last_write >= 1.0:
            self._write()

    def _write(self) -> None:
        with self._lock:
            percent, message = self.percent, self.message
        MatchRun.objects.filter(pk=self.run_id, status=MatchRunStatus.RUNNING).update(
            progress=percent, progress_message=message, progress_at=timezone.now()
        )
        self._last_write = time.monotonic()
        self.writes.append(self._last_write)

    def _loop(self) -> None:
        try:
            while not self._stop.is_set():
                try:
                    self._write()
                except Exception:  # a heartbeat must never kill the run
                    logger.exception("match run %s: progress write failed", self.run_id)
                self._stop.wait(HEARTBEAT_SECONDS)
        finally:
            connection.close()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None


# --- starting and locking ----------------------------------------------------------------------


def _in_scope_all(user, rounds: Iterable[RecruitmentRound]) -> bool:
    return all(region_in_scope(user, r.region) for r in rounds)


def _approved_runs(round_ids, kinds=(MatchRunKind.MATCH, MatchRunKind.BACKFILL)):
    return MatchRun.objects.filter(
        rounds__in=round_ids, status=MatchRunStatus.APPROVED, kind__in=kinds
    ).distinct()


def match_run_start(
    *,
    rounds: Iterable[RecruitmentRound],
    actor,
    kind: str = MatchRunKind.MATCH,
    parameters: dict | None = None,
    seed: int | None = None,
    request=None,
) -> MatchRun:
    """Lock the rounds and queue a run. Raises Http404 for a round outside the actor's scope
    and MatchRunError (with a message for the officer) for anything refused."""
    rounds = list({r.pk: r for r in rounds}.values())
    if not rounds:
        raise MatchRunError(_("Choose at least one round."), code="no_rounds")
    if kind not in MatchRunKind.values:
        raise MatchRunError(_("Unknown kind of run."), code="bad_kind")
    if not _in_scope_all(actor, rounds):
        raise Http404
    if len({r.year for r in rounds}) > 1:
        raise MatchRunError(_("A joint match takes rounds of one year only."), code="mixed_years")
    for r in rounds:
        if r.stage not in KIND_STAGES[kind]:
            raise MatchRunError(
                _("%(round)s is at the stage “%(stage)s”; a %(kind)s cannot start there.")
                % {
                    "round": r.name,
                    "stage": r.get_stage_display(),
                    "kind": MatchRunKind(kind).label.lower(),
                },
                code="wrong_stage",
            )
    cleaned = parameters_clean(parameters)
    if cleaned and kind != MatchRunKind.SIMULATION:
        raise MatchRunError(
            _(
                "Bonus and weight overrides are for simulations only; a match or backfill uses "
                "the round's own policy."
            ),
            code="bad_parameters",
        )
    round_ids = [r.pk for r in rounds]
    if kind == MatchRunKind.MATCH and _approved_runs(round_ids).exists():
        raise MatchRunError(
            _("This round already has an approved match; use a backfill pass for free places."),
            code="already_matched",
        )
    if kind == MatchRunKind.BACKFILL and not all(
        _approved_runs([rid]).exists() for rid in round_ids
    ):
        raise MatchRunError(
            _("A backfill pass comes after an approved match."), code="no_approved_match"
        )
    if seed is None:
        seed = secrets.randbelow(2**31)
    elif not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**63:
        raise MatchRunError(_("The seed must be a whole number ≥ 0."), code="bad_seed")

    with transaction.atomic():
        locked = list(
            RecruitmentRound.objects.select_for_update().filter(pk__in=round_ids).order_by("pk")
        )
        for r in locked:
            if r.locked_by_run_id:
                raise MatchRunError(
                    _(
                        "%(round)s is locked by match run #%(run)s, which has not finished. "
                        "Wait for it, or restart it if it has stopped."
                    )
                    % {"round": r.name, "run": r.locked_by_run_id},
                    code="locked",
                )
        now = timezone.now()
        run = MatchRun.objects.create(
            kind=kind,
            seed=seed,
            parameters=cleaned,
            started_by=actor,
            progress_message=P_QUEUED,
            progress_at=now,
            created_at=now,
        )
        run.rounds.set(locked)
        RecruitmentRound.objects.filter(pk__in=round_ids).update(locked_by_run=run)
        for r in locked:
            audit_record(
                action=AuditAction.STATUS_CHANGE,
                actor=actor,
                request=request,
                target=run,
                region=r.region,
                detail={"match_run": run.pk, "event": "started", "kind": kind, "seed": seed},
            )
        _enqueue(run)
    return run


def _enqueue(run: MatchRun) -> None:
    from ..tasks import match_run

    transaction.on_commit(lambda: match_run.delay(run.pk))


def _unlock(run: MatchRun) -> None:
    RecruitmentRound.objects.filter(locked_by_run=run).update(locked_by_run=None)


def match_run_fail(*, run: MatchRun, error: str = ERROR_INTERNAL) -> MatchRun:
    """Mark a run FAILED (nothing applied) and release its rounds."""
    with transaction.atomic():
        MatchRun.objects.filter(pk=run.pk).exclude(
            status__in=[MatchRunStatus.SUCCEEDED, MatchRunStatus.APPROVED]
        ).update(status=MatchRunStatus.FAILED, error=error, finished_at=timezone.now())
        _unlock(run)
    run.refresh_from_db()
    return run


def match_run_is_stale(run: MatchRun, *, now=None) -> bool:
    if run.status not in (MatchRunStatus.QUEUED, MatchRunStatus.RUNNING):
        return False
    last = run.progress_at or run.started_at or run.created_at
    return (now or timezone.now()) - last > STALE_AFTER


def match_run_restart(*, run: MatchRun, actor, request=None) -> MatchRun:
    """Run a FAILED run again (same rounds, kind, seed, parameters), or first mark a stale one
    (a lost worker) failed. Nothing of a failed run was applied, so it simply starts over."""
    if not _in_scope_all(actor, run.rounds.all()):
        raise Http404
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().get(pk=run.pk)
        if match_run_is_stale(run):
            run.status = MatchRunStatus.FAILED
            run.error = ERROR_STALE
        if run.status != MatchRunStatus.FAILED:
            raise MatchRunError(
                _(
                    "Only a failed run, or one that has stopped reporting progress, can be restarted."
                ),
                code="not_restartable",
            )
        locked = list(
            RecruitmentRound.objects.select_for_update()
            .filter(pk__in=run.rounds.values("pk"))
            .order_by("pk")
        )
        for r in locked:
            if r.locked_by_run_id and r.locked_by_run_id != run.pk:
                raise MatchRunError(
                    _("%(round)s is locked by match run #%(run)s, which has not finished.")
                    % {"round": r.name, "run": r.locked_by_run_id},
                    code="locked",
                )
        now = timezone.now()
        run.status = MatchRunStatus.QUEUED
        run.error = ""
        run.progress = 0
        run.progress_message = P_QUEUED
        run.progress_at = now
        run.started_at = None
        run.finished_at = None
        run.save()
        RecruitmentRound.objects.filter(pk__in=[r.pk for r in locked]).update(locked_by_run=run)
        for r in locked:
            audit_record(
                action=AuditAction.STATUS_CHANGE,
                actor=actor,
                request=request,
                target=run,
                region=r.region,
                detail={"match_run": run.pk, "event": "restarted"},
            )
        _enqueue(run)
    return run


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

    from .eligibility import _check_post, round_reference_date

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


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _statistics(
    *, run, rounds, people, posts, capacities, held, assignment, vacancies, policies
) -> dict:
    """Posts filled and empty by county and township; home-county share; first-choice rate."""
    placed = 0
    first_choice = 0
    home_county = 0
    rank_counts: Counter = Counter()
    for uid, person in people.items():
        got = assignment.get(uid)
        if got is None:
            continue
        placed += 1
        rank = next(e[1] for e in person.entries if e[0] == got)
        rank_counts[rank] += 1
        if rank == 1:
            first_choice += 1
        home = person.home
        if home and posts[got].county_path and home.startswith(posts[got].county_path):
            home_county += 1

    def blank():
        return {"posts": 0, "seats": 0, "filled": 0, "posts_full": 0, "posts_empty": 0}

    by_county: dict[str, dict] = defaultdict(blank)
    by_township: dict[str, dict] = defaultdict(blank)
    for pid, facts in posts.items():
        seats = capacities[pid]
        filled = seats - vacancies.get(pid, seats)
        for bucket in (by_county[facts.county_path], by_township[facts.township_path]):
            bucket["posts"] += 1
            bucket["seats"] += seats
            bucket["filled"] += filled
            if seats and filled == seats:
                bucket["posts_full"] += 1
            if seats and filled == 0:
                bucket["posts_empty"] += 1
    codes = {path_codes(p)[-1] for p in (*by_county, *by_township) if p}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))

    def rows(buckets):
        out = []
        for path, b in sorted(buckets.items()):
            code = path_codes(path)[-1] if path else ""
            out.append(
                {
                    "code": code,
                    "name": names.get(code, code),
                    **b,
                    "fill_rate": _rate(b["filled"], b["seats"]),
                }
            )
        return out

    seats = sum(capacities.values())
    return {
        "kind": run.kind,
        "seed": run.seed,
        "applicants": len(people),
        "posts": len(posts),
        "seats": seats,
        "held_seats": sum(held.values()),
        "placed": placed,
        "unplaced": len(people) - placed,
        "fill_rate": _rate(placed, seats),
        "posts_full": sum(1 for p in posts if capacities[p] and vacancies.get(p, 0) == 0),
        "posts_empty": sum(
            1 for p in posts if capacities[p] and vacancies.get(p, 0) == capacities[p]
        ),
        "first_choice": first_choice,
        "first_choice_rate": _rate(first_choice, len(people)),
        "home_county": home_county,
        "home_county_share": _rate(home_county, placed),
        "by_rank": {str(k): v for k, v in sorted(rank_counts.items())},
        "by_county": rows(by_county),
        "by_township": rows(by_township),
        "policy": {str(rid): policies[rid].as_json() for rid in policies},
    }


def _store(run: MatchRun, outcome: RunOutcome, reporter: ProgressReporter) -> bool:
    """Write every result, cut-off and the statistics in one transaction; False if the run was
    stopped (marked failed) meanwhile, in which case nothing is written."""
    cutoffs = outcome.cutoffs
    full = {pid: outcome.vacancies.get(pid, 0) == 0 for pid in outcome.capacities}
    t = time.monotonic()
    with transaction.atomic():
        MatchResult.objects.filter(run=run).delete()
        PostCutoff.objects.filter(run=run).delete()
        batch: list[MatchResult] = []
        total = max(1, len(outcome.application_person))
        done = 0
        for uid, person in outcome.people.items():
            got = outcome.assignment.get(uid)
            explanation = [
                {
                    "post": post_id,
                    "rank": rank,
                    "score": None if score is None else str(score),
                    "cutoff": None if cutoffs.get(post_id) is None else str(cutoffs[post_id]),
                    "full": full.get(post_id, True),
                    "eligible": score is not None,
                    "matched": post_id == got,
                }
                for post_id, rank, score, _app in person.entries
            ]
            got_entry = next((e for e in person.entries if e[0] == got), None)
            lottery = outcome.tiebreak.get(uid)
            for app_id in person.applications:
                mine = got_entry is not None and got_entry[3] == app_id
                batch.append(
                    MatchResult(
                        run=run,
                        application_id=app_id,
                        post_id=got if mine else None,
                        matched_rank=got_entry[1] if mine else None,
                        lottery=lottery,
                        explanation=explanation,
                    )
                )
            if len(batch) >= RESULT_BATCH:
                MatchResult.objects.bulk_create(batch)
                done += len(batch)
                batch = []
                reporter.report(60 + 35 * done // total, P_STORING)
        if batch:
            MatchResult.objects.bulk_create(batch)
        cutoff_rows = [
            PostCutoff(
                run=run,
                post_id=pid,
                cutoff=cutoffs.get(pid),
                filled=cap - outcome.vacancies.get(pid, cap),
            )
            for pid, cap in outcome.capacities.items()
        ]
        PostCutoff.objects.bulk_create(cutoff_rows, batch_size=RESULT_BATCH)
        reporter.report(98, P_STORING)
        reporter.stop()
        statistics = outcome.statistics
        statistics["timings"]["store"] = round(time.monotonic() - t, 3)
        now = timezone.now()
        updated = MatchRun.objects.filter(pk=run.pk, status=MatchRunStatus.RUNNING).update(
            status=MatchRunStatus.SUCCEEDED,
            input_hash=outcome.input_hash,
            statistics=statistics,
            progress=100,
            progress_message=P_DONE,
            progress_at=now,
            finished_at=now,
            error="",
        )
        if not updated:
            transaction.set_rollback(True)
            return False
        _unlock(run)
    return True


def match_run_execute(*, run_id: int) -> MatchRun:
    """Load, score, match, store. Called by the Celery task (also when a lost worker's task is
    delivered again: a RUNNING run simply starts over). Any exception → FAILED, unlocked."""
    close_old_connections()
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().get(pk=run_id)
        if run.status not in (MatchRunStatus.QUEUED, MatchRunStatus.RUNNING):
            return run
        now = timezone.now()
        run.status = MatchRunStatus.RUNNING
        run.started_at = now
        run.progress = 0
        run.progress_message = P_LOADING
        run.progress_at = now
        run.error = ""
        run.save(
            update_fields=[
                "status",
                "started_at",
                "progress",
                "progress_message",
                "progress_at",
                "error",
            ]
        )
    reporter = ProgressReporter(run.pk)
    try:
        with translation.override("en"):
            outcome = _load_and_match(run, reporter)
            stored = _store(run, outcome, reporter)
        if not stored:
            logger.info("match run %s was stopped before it finished", run.pk)
    except Exception:
        logger.exception("match run %s failed", run.pk)
        reporter.stop()
        match_run_fail(run=run, error=ERROR_INTERNAL)
    finally:
        reporter.stop()
    run.refresh_from_db()
    return run


# --- approval -----------------------------------------------------------------------------


def match_run_approve(*, run: MatchRun, actor, request=None) -> MatchRun:
    """Turn a SUCCEEDED match or backfill run into offers, and tell everyone their result.

    One transaction: every matched applicant gets an offer (reply by now + the round's
    `offer_reply_days`), every applicant matched nowhere becomes UNMATCHED; both are e-mailed
    in their language after commit. Refused (MatchRunError) for a simulation, a run that is
    not ready, one already approved, or one whose inputs changed since it ran.
    """
    from .offers import offer_create
    from .status import application_transition

    rounds = list(run.rounds.select_related("region"))
    if not _in_scope_all(actor, rounds):
        raise Http404
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().get(pk=run.pk)
        if run.kind == MatchRunKind.SIMULATION:
            raise MatchRunError(
                _("A simulation is never approved: it makes no offers."), code="simulation"
            )
        if run.status == MatchRunStatus.APPROVED:
            raise MatchRunError(_("This run has already been approved."), code="already_approved")
        if run.status != MatchRunStatus.SUCCEEDED:
            raise MatchRunError(
                _("Only a finished run can be approved; this one is “%(status)s”.")
                % {"status": run.get_status_display()},
                code="not_ready",
            )
        round_ids = [r.pk for r in rounds]
        locked = list(
            RecruitmentRound.objects.select_for_update().filter(pk__in=round_ids).order_by("pk")
        )
        if any(r.locked_by_run_id for r in locked):
            raise MatchRunError(
                _("A run of this round is in progress; approve when it has finished."),
                code="locked",
            )
        later = (
            _approved_runs(round_ids)
            .exclude(pk=run.pk)
            .filter(approved_at__gte=run.started_at or run.created_at)
        )
        if run.kind == MatchRunKind.MATCH and _approved_runs(round_ids).exists():
            raise MatchRunError(
                _("This round already has an approved match; use a backfill pass."),
                code="already_matched",
            )
        if later.exists():
            raise MatchRunError(
                _("Another run of this round was approved after this one ran; start a new run."),
                code="outdated",
            )
        statuses = BACKFILL_STATUSES if run.kind == MatchRunKind.BACKFILL else MATCH_STATUSES
        results = list(
            MatchResult.objects.filter(run=run)
            .select_related("application__applicant", "application__round", "post")
            .order_by("application_id")
        )
        changed = [r for r in results if r.application.status not in statuses]
        if changed:
            raise MatchRunError(
                _(
                    "%(count)s applications changed since this run (withdrawn, offered, …); "
                    "start a new run."
                )
                % {"count": len(changed)},
                code="outdated",
            )
        if run.kind == MatchRunKind.BACKFILL:
            _check_backfill_capacity(run, round_ids)
        now = timezone.now()
        matched_people = {r.application.applicant_id for r in results if r.post_id}
        reply_days = {r.pk: r.offer_reply_days for r in locked}
        offers = 0
        unmatched = 0
        for result in results:
            application = result.application
            if result.post_id:
                offer_create(
                    application=application,
                    post=result.post,
                    match_run=run,
                    reply_deadline=now + datetime.timedelta(days=reply_days[application.round_id]),
                )
                offers += 1
            elif application.applicant_id in matched_people:
                application_transition(
                    application=application,
                    to_status=ApplicationStatus.UNMATCHED,
                    actor=actor,
                    request=request,
                    reason=_("Matched to a post of another round of the joint match."),
                    notify=False,
                )
            elif application.status != ApplicationStatus.UNMATCHED:
                with translation.override(application.applicant.preferred_language):
                    reason = _(
                        "No place at any of your choices for your score in match run #%(run)s; "
                        "the cut-offs are on your application page."
                    ) % {"run": run.pk}
                application_transition(
                    application=application,
                    to_status=ApplicationStatus.UNMATCHED,
                    actor=actor,
                    request=request,
                    reason=reason,
                )
                unmatched += 1
        run.status = MatchRunStatus.APPROVED
        run.approved_by = actor
        run.approved_at = now
        run.save(update_fields=["status", "approved_by", "approved_at"])
        for r in rounds:
            audit_record(
                action=AuditAction.STATUS_CHANGE,
                actor=actor,
                request=request,
                target=run,
                region=r.region,
                detail={
                    "match_run": run.pk,
                    "event": "approved",
                    "offers": offers,
                    "unmatched": unmatched,
                },
            )
    return run


def _check_backfill_capacity(run: MatchRun, round_ids) -> None:
    """Refuse a backfill whose places were taken since it ran (an offer made meanwhile)."""
    taken: Counter = Counter()
    for post_id, status, placement_status in Offer.objects.filter(
        post__round__in=round_ids, status__in=[OfferStatus.PENDING, OfferStatus.ACCEPTED]
    ).values_list("post_id", "status", "placement__status"):
        if status == OfferStatus.ACCEPTED and placement_status not in (None, *PLACEMENT_ACTIVE):
            continue
        taken[post_id] += 1
    new = Counter(
        MatchResult.objects.filter(run=run, post__isnull=False).values_list("post_id", flat=True)
    )
    heads = dict(Post.objects.filter(pk__in=new).values_list("pk", "headcount"))
    for post_id, count in new.items():
        if taken[post_id] + count > heads[post_id]:
            raise MatchRunError(
                _("Places of this backfill were taken since it ran; start a new backfill pass."),
                code="outdated",
            )


# --- comparison --------------------------------------------------------------------------


def match_runs_compare(*, a: MatchRun, b: MatchRun) -> dict:
    """Two runs side by side: headline rates, fill rate by county, per-post cut-off changes."""
    sa, sb = a.statistics or {}, b.statistics or {}
    headline = []
    for key, label in (
        ("placed", gettext_noop("Placed")),
        ("fill_rate", gettext_noop("Fill rate")),
        ("home_county_share", gettext_noop("Placed in their home county")),
        ("first_choice_rate", gettext_noop("First-choice rate")),
        ("posts_empty", gettext_noop("Posts left empty")),
    ):
        headline.append({"key": key, "label": label, "a": sa.get(key), "b": sb.get(key)})
    counties_a = {c["code"]: c for c in sa.get("by_county", [])}
    counties_b = {c["code"]: c for c in sb.get("by_county", [])}
    counties = []
    for code in sorted(set(counties_a) | set(counties_b)):
        ca, cb = counties_a.get(code, {}), counties_b.get(code, {})
        counties.append(
            {
                "code": code,
                "name": ca.get("name") or cb.get("name") or code,
                "a": ca.get("fill_rate"),
                "b": cb.get("fill_rate"),
                "a_filled": ca.get("filled"),
                "b_filled": cb.get("filled"),
                "seats": ca.get("seats", cb.get("seats")),
            }
        )
    cut_a = dict(PostCutoff.objects.filter(run=a).values_list("post_id", "cutoff"))
    cut_b = dict(PostCutoff.objects.filter(run=b).values_list("post_id", "cutoff"))
    changed = []
    for pid in sorted(set(cut_a) | set(cut_b)):
        x, y = cut_a.get(pid), cut_b.get(pid)
        if x != y:
            changed.append(
                {
                    "post": pid,
                    "a": x,
                    "b": y,
                    "delta": (y - x) if x is not None and y is not None else None,
                }
            )
    return {"headline": headline, "counties": counties, "cutoffs": changed}
