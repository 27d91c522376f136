"""Match runs: priorities from policy, runs in the background, approval, backfill, simulation.

A package split by subject; the public names are re-exported here, so
``from jobs.services.matching import match_run_start`` keeps working:

- ``common``: constants, ``MatchRunError``, lock helpers;
- ``priorities``: policy, facts and scores (the reference, one pair at a time);
- ``pairs``: eligibility on tuples, regions resolved once; ``scoring``: scores in thousandths;
- ``participants``: loading posts and applicants, eligibility, priorities, the engine call;
- ``progress``: the heartbeat that writes progress;
- ``runs``: start, execute, fail, restart (rounds locked while a run is in progress);
- ``results``: storing results and cut-offs in one transaction;
- ``statistics``: a run's statistics from the in-memory outcome;
- ``approval``: a run becomes offers (``approval_bulk``: in bulk); ``backfill``: what a
  backfill keeps;
- ``compare``: two runs side by side.

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

from .approval import (
    APPROVE_INLINE_MAX,
    match_run_approval_abandon,
    match_run_approval_execute,
    match_run_approve,
)
from .approval_bulk import application_status_emails_send
from .common import (
    BACKFILL_STATUSES,
    ERROR_INTERNAL,
    ERROR_STALE,
    ERROR_SUPERSEDED,
    EXTRA_RULES,
    HEARTBEAT_SECONDS,
    KIND_STAGES,
    MATCH_STATUSES,
    PRIORITY_FIELDS,
    SCORE_QUANTUM,
    STALE_AFTER,
    MatchRunError,
)
from .compare import match_runs_compare
from .participants import RunOutcome, canonical_input_hash
from .priorities import (
    ApplicantFacts,
    ExtraBonus,
    Policy,
    PostFacts,
    applicant_bonus,
    base_score,
    county_path_of,
    extra_bonuses_clean,
    hometown_bonus,
    parameters_clean,
    path_codes,
    policy_for,
    post_bonus,
    post_facts,
    priority_breakdown,
    priority_score,
    quantize,
)
from .progress import ProgressReporter
from .runs import (
    match_run_execute,
    match_run_fail,
    match_run_is_stale,
    match_run_restart,
    match_run_start,
)

__all__ = [
    "APPROVE_INLINE_MAX",
    "application_status_emails_send",
    "match_run_approval_abandon",
    "match_run_approval_execute",
    "BACKFILL_STATUSES",
    "ERROR_INTERNAL",
    "ERROR_STALE",
    "ERROR_SUPERSEDED",
    "EXTRA_RULES",
    "HEARTBEAT_SECONDS",
    "KIND_STAGES",
    "MATCH_STATUSES",
    "PRIORITY_FIELDS",
    "SCORE_QUANTUM",
    "STALE_AFTER",
    "ApplicantFacts",
    "ExtraBonus",
    "MatchRunError",
    "Policy",
    "PostFacts",
    "ProgressReporter",
    "RunOutcome",
    "applicant_bonus",
    "base_score",
    "canonical_input_hash",
    "county_path_of",
    "extra_bonuses_clean",
    "hometown_bonus",
    "match_run_approve",
    "match_run_execute",
    "match_run_fail",
    "match_run_is_stale",
    "match_run_restart",
    "match_run_start",
    "match_runs_compare",
    "parameters_clean",
    "path_codes",
    "policy_for",
    "post_bonus",
    "post_facts",
    "priority_breakdown",
    "priority_score",
    "quantize",
]
