"""stable_match on generated instances: stable, applicant-optimal, equal to the `matching`
package, deterministic, and consistent with itself under `fixed` and replays."""

import json
import os
import subprocess
import sys
import warnings
from collections import defaultdict
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from jobs.matching import stable_match
from tests.jobs.matching.oracle import all_stable_matchings, problems, rank_of

REPO_ROOT = Path(__file__).resolve().parents[3]
PROPERTIES = settings(max_examples=150, deadline=None)


@st.composite
def instances(draw, *, applicants=20, posts=6, capacity=3, scores=None):
    scores = scores if scores is not None else st.integers(0, 4)
    post_ids = [f"p{k}" for k in range(draw(st.integers(1, posts)))]
    capacities = {p: draw(st.integers(0, capacity)) for p in post_ids}
    choices = {}
    for a in range(draw(st.integers(0, applicants))):
        ranked = draw(st.permutations(post_ids))
        length = draw(st.integers(0, len(ranked)))
        choices[f"a{a}"] = [(p, draw(scores)) for p in ranked[:length]]
    return choices, capacities


@st.composite
def tiebreaks(draw, choices):
    """None (a lottery from a seed) or distinct ints, not necessarily 1..n."""
    if draw(st.booleans()):
        return None
    numbers = draw(
        st.lists(
            st.integers(-(10**9), 10**9), min_size=len(choices), max_size=len(choices), unique=True
        )
    )
    return dict(zip(choices, numbers, strict=True))


def check_cutoffs(choices, capacities, result, fixed=None):
    fixed = fixed or {}
    admitted = defaultdict(list)
    for a, p in result.assignment.items():
        if p is not None and a not in fixed:
            admitted[p].append(a)
    for p, capacity in capacities.items():
        held = sum(1 for a, q in fixed.items() if q == p) + len(admitted[p])
        assert result.vacancies[p] == capacity - held
        if result.vacancies[p] == 0 and admitted[p]:
            score = {a: dict(choices[a])[p] for a in admitted[p]}
            worst = min(admitted[p], key=lambda a: (score[a], -result.tiebreak[a]))
            assert result.cutoffs[p] == min(score.values())
            assert result.last_admitted[p] == worst
        else:
            assert result.cutoffs[p] is None
            assert result.last_admitted[p] is None


@PROPERTIES
@given(data=st.data())
def test_result_is_stable_and_cutoffs_explain_it(data):
    choices, capacities = data.draw(instances())
    tiebreak = data.draw(tiebreaks(choices))
    seed = data.draw(st.integers(0, 2**64))

    result = stable_match(choices, capacities, tiebreak=tiebreak, seed=seed)

    assert list(result.assignment) == list(choices)
    assert problems(choices, capacities, result.tiebreak, result.assignment) == []
    check_cutoffs(choices, capacities, result)
    if tiebreak is not None:
        assert result.tiebreak == {a: tiebreak[a] for a in choices}
    # Anyone who ranked a full post above their result is below its cutoff.
    for a, lst in choices.items():
        for p, s in lst[: rank_of(choices, a, result.assignment[a])]:
            if result.vacancies[p] == 0 and result.cutoffs[p] is not None:
                holder = result.last_admitted[p]
                assert (s, -result.tiebreak[a]) < (result.cutoffs[p], -result.tiebreak[holder])


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_result_is_the_applicant_optimal_stable_matching(data):
    choices, capacities = data.draw(instances(applicants=5, posts=3, capacity=2))
    tiebreak = data.draw(tiebreaks(choices))

    result = stable_match(choices, capacities, tiebreak=tiebreak, seed=1)

    stable = all_stable_matchings(choices, capacities, result.tiebreak)
    assert result.assignment in stable
    for other in stable:
        for a in choices:
            assert rank_of(choices, a, result.assignment[a]) <= rank_of(choices, a, other[a])


def solve_with_matching_package(choices, capacities, tiebreak):
    """The resident-optimal matching from daffidwilde/matching, on the same priorities."""
    from matching.games import HospitalResident

    open_posts = {p for p, c in capacities.items() if c > 0}
    resident_prefs = {a: [p for p, _ in lst if p in open_posts] for a, lst in choices.items()}
    resident_prefs = {a: prefs for a, prefs in resident_prefs.items() if prefs}
    ranked = defaultdict(list)
    for a in resident_prefs:
        for p, s in choices[a]:
            if p in open_posts:
                ranked[p].append((-s, tiebreak[a], a))
    hospital_prefs = {p: [a for *_, a in sorted(rows)] for p, rows in ranked.items()}
    assignment = dict.fromkeys(choices)
    if not resident_prefs:
        return assignment
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the instance handed over must be clean
        game = HospitalResident.create_from_dictionaries(
            resident_prefs, hospital_prefs, {p: capacities[p] for p in hospital_prefs}
        )
        solved = game.solve(optimal="resident")
    for hospital, residents in solved.items():
        for resident in residents:
            assignment[resident.name] = hospital.name
    return assignment


@PROPERTIES
@given(data=st.data())
def test_same_as_the_matching_package_with_strict_priorities(data):
    choices, capacities = data.draw(
        instances(applicants=15, posts=5, capacity=3, scores=st.integers(0, 100))
    )
    # Strict priorities: make every post's scores distinct (no tie-break needed).
    strict = {a: [(p, s * 100 + k) for p, s in lst] for k, (a, lst) in enumerate(choices.items())}
    seed = data.draw(st.integers(0, 1000))

    result = stable_match(strict, capacities, seed=seed)

    assert result.assignment == solve_with_matching_package(strict, capacities, result.tiebreak)
    # With strict priorities the lottery changes nothing.
    assert stable_match(strict, capacities, seed=seed + 1).assignment == result.assignment


@PROPERTIES
@given(data=st.data())
def test_same_as_the_matching_package_with_ties_broken_by_the_lottery(data):
    choices, capacities = data.draw(instances(applicants=15, posts=5, capacity=3))
    seed = data.draw(st.integers(0, 1000))

    result = stable_match(choices, capacities, seed=seed)

    assert result.assignment == solve_with_matching_package(choices, capacities, result.tiebreak)


@PROPERTIES
@given(data=st.data())
def test_fixed_placements_are_kept_and_the_rest_is_matched_in_the_remaining_places(data):
    choices, capacities = data.draw(instances())
    room = dict(capacities)
    fixed = {}
    for a in choices:
        open_posts = [p for p, r in room.items() if r > 0]
        if open_posts and data.draw(st.booleans()):
            fixed[a] = data.draw(st.sampled_from(open_posts))
            room[fixed[a]] -= 1
    if room and data.draw(st.booleans()):  # someone placed earlier who no longer applies
        open_posts = [p for p, r in room.items() if r > 0]
        if open_posts:
            fixed["earlier"] = open_posts[0]
            room[open_posts[0]] -= 1
    seed = data.draw(st.integers(0, 1000))
    lottery = stable_match(choices, capacities, seed=seed).tiebreak

    result = stable_match(choices, capacities, tiebreak=lottery, fixed=fixed)

    assert problems(choices, capacities, lottery, result.assignment, fixed) == []
    check_cutoffs(choices, capacities, result, fixed)
    # The same as matching the others alone into the places left.
    others = {a: lst for a, lst in choices.items() if a not in fixed}
    alone = stable_match(others, room, tiebreak=lottery)
    assert {a: result.assignment[a] for a in others} == alone.assignment
    assert result.vacancies == alone.vacancies
    assert result.cutoffs == alone.cutoffs


@PROPERTIES
@given(data=st.data())
def test_deterministic_and_replayable(data):
    choices, capacities = data.draw(instances())
    seed = data.draw(st.integers(-(2**70), 2**70))

    first = stable_match(choices, capacities, seed=seed)

    assert stable_match(choices, capacities, seed=seed) == first
    # The order in which the caller built the mapping does not matter (ids sort).
    shuffled = dict(data.draw(st.permutations(list(choices.items()))))
    again = stable_match(shuffled, dict(reversed(capacities.items())), seed=seed)
    assert again.assignment == first.assignment
    assert again.tiebreak == first.tiebreak
    assert again.cutoffs == first.cutoffs
    # The stored numbers replay the run.
    assert stable_match(choices, capacities, tiebreak=first.tiebreak) == first


@PROPERTIES
@given(data=st.data())
def test_exact_numbers_match_like_the_equal_floats(data):
    choices, capacities = data.draw(instances(scores=st.integers(0, 8)))
    as_floats = {a: [(p, s / 4) for p, s in lst] for a, lst in choices.items()}
    as_fractions = {a: [(p, Fraction(s, 4)) for p, s in lst] for a, lst in choices.items()}

    floats = stable_match(as_floats, capacities, seed=3)
    fractions = stable_match(as_fractions, capacities, seed=3)  # the slow, general path

    assert floats.assignment == fractions.assignment
    assert floats.cutoffs == fractions.cutoffs


# --- the same result on every machine ----------------------------------------------------

SCRIPT = """
import json, sys
from jobs.matching import stable_match
choices = {f"graduate-{k}": [(f"village-{(k * 7 + j) % 9}", (k * j) % 4) for j in range(4)]
           for k in range(40)}
result = stable_match(choices, {f"village-{v}": 1 + v % 3 for v in range(9)}, seed=20261129)
print(json.dumps([sorted(result.assignment.items(), key=str), sorted(result.tiebreak.items()),
                  sorted(result.cutoffs.items())]))
"""


def run_with_hash_seed(hash_seed: str) -> list:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    return json.loads(out.stdout)


def test_string_hashing_does_not_change_the_result():
    outputs = [run_with_hash_seed(h) for h in ("0", "1", "4242", "random")]

    assert all(output == outputs[0] for output in outputs)


def test_the_lottery_is_the_same_on_every_machine_and_python_version():
    # Fisher–Yates on Random(seed).random(), whose sequence Python keeps across versions.
    result = stable_match({f"g{k}": [] for k in range(8)}, {}, seed=2026)

    assert result.tiebreak == GOLDEN_LOTTERY


GOLDEN_LOTTERY = {"g2": 1, "g1": 2, "g5": 3, "g7": 4, "g4": 5, "g6": 6, "g3": 7, "g0": 8}
