"""stable_match on hand-made instances whose outcome is worked out by hand."""

import dataclasses
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import pytest

from jobs.matching import MatchResult, stable_match
from tests.jobs.matching.oracle import all_stable_matchings, problems

# Gale & Shapley's cyclic example: every applicant's first choice ranks them last.
CYCLIC = {
    "A": [("X", 1), ("Y", 2), ("Z", 3)],
    "B": [("Y", 1), ("Z", 2), ("X", 3)],
    "C": [("Z", 1), ("X", 2), ("Y", 3)],
}
ONE_EACH = {"X": 1, "Y": 1, "Z": 1}


def test_cyclic_example_gives_every_applicant_their_first_choice():
    result = stable_match(CYCLIC, ONE_EACH)

    assert result.assignment == {"A": "X", "B": "Y", "C": "Z"}
    assert result.cutoffs == {"X": 1, "Y": 1, "Z": 1}
    assert result.vacancies == {"X": 0, "Y": 0, "Z": 0}
    assert result.proposals == 3
    # Other stable matchings exist (the posts' favourite one); ours is the applicants' best.
    stable = all_stable_matchings(CYCLIC, ONE_EACH, result.tiebreak)
    assert {"A": "Z", "B": "X", "C": "Y"} in stable
    assert result.assignment in stable


# A rejection chain with a capacity of 2 (worked out by hand):
# a1→X held; a2→X held (X full: 60, 80); a3→X 70 displaces a1 (60); a1→Y held;
# a4→Y 95 displaces a1, who has nothing left; a5→X 90 displaces a3 (70); a3→Y 85 < 95: refused.
CHAIN = {
    "a1": [("X", 60), ("Y", 90)],
    "a2": [("X", 80), ("Z", 50)],
    "a3": [("X", 70), ("Y", 85)],
    "a4": [("Y", 95), ("X", 65)],
    "a5": [("X", 90)],
}
CHAIN_CAPACITIES = {"X": 2, "Y": 1, "Z": 1}


def test_rejection_chain_with_capacities():
    result = stable_match(CHAIN, CHAIN_CAPACITIES)

    assert result.assignment == {"a1": None, "a2": "X", "a3": None, "a4": "Y", "a5": "X"}
    assert result.cutoffs == {"X": 80, "Y": 95, "Z": None}
    assert result.last_admitted == {"X": "a2", "Y": "a4", "Z": None}
    assert result.vacancies == {"X": 0, "Y": 0, "Z": 1}
    assert problems(CHAIN, CHAIN_CAPACITIES, result.tiebreak, result.assignment) == []


def test_the_order_of_choices_does_not_change_the_outcome():
    reordered = dict(reversed(list(CHAIN.items())))

    result = stable_match(reordered, CHAIN_CAPACITIES)

    assert result.assignment == stable_match(CHAIN, CHAIN_CAPACITIES).assignment
    assert list(result.assignment) == list(reordered)  # keys follow the caller's order


def test_empty_input():
    result = stable_match({}, {})

    assert result == MatchResult(
        assignment={}, cutoffs={}, last_admitted={}, vacancies={}, tiebreak={}, proposals=0
    )


def test_posts_without_applicants_and_applicants_without_choices():
    result = stable_match({"a": [], "b": ()}, {"X": 2})

    assert result.assignment == {"a": None, "b": None}
    assert result.cutoffs == {"X": None}
    assert result.vacancies == {"X": 2}


def test_a_post_with_capacity_zero_admits_nobody():
    result = stable_match({"a": [("X", 99), ("Y", 50)], "b": [("X", 98)]}, {"X": 0, "Y": 1})

    assert result.assignment == {"a": "Y", "b": None}
    assert result.cutoffs == {"X": None, "Y": 50}
    assert result.vacancies == {"X": 0, "Y": 0}


def test_cutoff_is_none_while_a_post_has_room():
    result = stable_match({"a": [("X", 70)], "b": [("X", 90)]}, {"X": 3})

    assert result.assignment == {"a": "X", "b": "X"}
    assert result.cutoffs == {"X": None}
    assert result.last_admitted == {"X": None}
    assert result.vacancies == {"X": 1}


def test_cutoff_is_the_lowest_admitted_score_of_a_full_post():
    choices = {"a": [("X", 90)], "b": [("X", 70)], "c": [("X", 80)], "d": [("X", 60)]}

    result = stable_match(choices, {"X": 2})

    assert result.assignment == {"a": "X", "b": None, "c": "X", "d": None}
    assert result.cutoffs == {"X": 80}
    assert result.last_admitted == {"X": "c"}


@pytest.mark.parametrize(("tiebreak", "winner"), [({"a": 2, "b": 1}, "b"), ({"a": 1, "b": 2}, "a")])
def test_equal_scores_are_broken_by_the_lower_tiebreak_number(tiebreak, winner):
    choices = {"a": [("X", 80), ("Y", 10)], "b": [("X", 80), ("Y", 10)]}

    result = stable_match(choices, {"X": 1, "Y": 1}, tiebreak=tiebreak)

    loser = "a" if winner == "b" else "b"
    assert result.assignment == {winner: "X", loser: "Y"}
    assert result.cutoffs["X"] == 80
    assert result.last_admitted["X"] == winner
    assert result.tiebreak == dict(sorted(tiebreak.items(), key=lambda kv: kv[1]))


def test_a_higher_score_beats_a_better_tiebreak_number():
    choices = {"a": [("X", 81)], "b": [("X", 80)]}

    result = stable_match(choices, {"X": 1}, tiebreak={"a": 2, "b": 1})

    assert result.assignment == {"a": "X", "b": None}


def test_tiebreak_entries_for_other_people_are_ignored():
    result = stable_match({"a": [("X", 1)]}, {"X": 1}, tiebreak={"a": 5, "zed": 5, "y": "x"})

    assert result.assignment == {"a": "X"}
    assert result.tiebreak == {"a": 5}


def test_lottery_numbers_are_a_permutation_of_one_to_n():
    choices = {f"g{k}": [("X", 1)] for k in range(50)}

    result = stable_match(choices, {"X": 10}, seed=7)

    assert sorted(result.tiebreak.values()) == list(range(1, 51))
    assert set(result.tiebreak) == set(choices)
    winners = {a for a, p in result.assignment.items() if p == "X"}
    assert winners == {a for a, n in result.tiebreak.items() if n <= 10}


def test_replaying_the_stored_tiebreak_gives_the_same_result():
    choices = {f"g{k}": [("X", k % 3), ("Y", k % 2)] for k in range(30)}
    capacities = {"X": 5, "Y": 5}
    first = stable_match(choices, capacities, seed=123)

    replay = stable_match(choices, capacities, tiebreak=first.tiebreak)

    assert replay == first


def test_different_seeds_only_matter_where_scores_tie():
    tied = {f"g{k}": [("X", 50)] for k in range(10)}
    outcomes = {
        tuple(sorted(a for a, p in stable_match(tied, {"X": 3}, seed=s).assignment.items() if p))
        for s in range(20)
    }
    assert len(outcomes) > 1

    strict = {f"g{k}": [("X", k)] for k in range(10)}
    outcomes = {tuple(stable_match(strict, {"X": 3}, seed=s).assignment.items()) for s in range(20)}
    assert len(outcomes) == 1


def test_ids_can_be_any_hashable_values():
    choices = {
        (1, "a"): [(frozenset({"x"}), 2), (7.5, 1)],
        3: [(frozenset({"x"}), 3)],
        None: [(7.5, 5)],
    }

    result = stable_match(choices, {frozenset({"x"}): 1, 7.5: 1})

    assert result.assignment == {(1, "a"): None, 3: frozenset({"x"}), None: 7.5}
    assert result.cutoffs == {frozenset({"x"}): 3, 7.5: 5}


def test_mixed_id_types_use_the_order_of_choices_for_the_lottery():
    choices = {2: [("X", 1)], "b": [("X", 1)], (3,): [("X", 1)]}  # not sortable together

    first = stable_match(choices, {"X": 1}, seed=4)
    again = stable_match(dict(choices), {"X": 1}, seed=4)

    assert first == again
    assert sorted(first.tiebreak.values()) == [1, 2, 3]


@pytest.mark.parametrize(
    "scores",
    [
        [Decimal("85.50"), Decimal("85.25"), Decimal("85.25")],
        [Fraction(171, 2), Fraction(341, 4), Fraction(341, 4)],
        [85.5, Decimal("85.25"), Fraction(341, 4)],  # mixed, compared exactly
        [Decimal("1E+400"), Decimal("1E+399"), Decimal("1E+399")],  # beyond the float range
        [10**400, 10**399, 10**399],
    ],
)
def test_exact_number_types_are_accepted(scores):
    choices = {a: [("X", s)] for a, s in zip("abc", scores, strict=True)}

    result = stable_match(choices, {"X": 2}, tiebreak={"a": 3, "b": 2, "c": 1})

    assert result.assignment == {"a": "X", "b": None, "c": "X"}
    assert result.cutoffs["X"] == scores[2]
    assert result.cutoffs["X"] is scores[2]  # the applicant's own score object


def test_lists_may_be_any_sequence_of_pairs():
    class Ranked(Sequence):
        def __init__(self, *items):
            self.items = items

        def __getitem__(self, i):
            return self.items[i]

        def __len__(self):
            return len(self.items)

    choices = {"a": Ranked(["X", 2], ("Y", 1)), "b": [["X", 3]]}

    result = stable_match(choices, {"X": 1, "Y": 1})

    assert result.assignment == {"a": "Y", "b": "X"}


def test_result_is_frozen():
    result = stable_match({"a": [("X", 1)]}, {"X": 1})

    with pytest.raises(dataclasses.FrozenInstanceError):
        result.assignment = {}  # type: ignore[misc]


def test_proposals_count_every_proposal_made():
    # CHAIN: a1 X,Y; a2 X; a3 X,Y; a4 Y; a5 X = 7 proposals.
    assert stable_match(CHAIN, CHAIN_CAPACITIES).proposals == 7


# --- later passes: fixed placements ------------------------------------------------------

FIRST_PASS = {
    "a": [("X", 90), ("Y", 80)],
    "b": [("X", 85), ("Y", 88)],
    "c": [("Y", 70), ("X", 60)],
}


def test_backfill_keeps_accepted_placements_and_fills_the_reopened_place():
    first = stable_match(FIRST_PASS, {"X": 1, "Y": 1}, seed=9)
    assert first.assignment == {"a": "X", "b": "Y", "c": None}

    # a declines X; b accepted Y. The next pass keeps b at Y and re-offers X.
    remaining = {k: v for k, v in FIRST_PASS.items() if k != "a"}
    second = stable_match(remaining, {"X": 1, "Y": 1}, tiebreak=first.tiebreak, fixed={"b": "Y"})

    # b would rank X higher and outranks c there, but keeps the accepted Y.
    assert second.assignment == {"b": "Y", "c": "X"}
    assert second.cutoffs == {"X": 60, "Y": None}  # Y: no place was open in this pass
    assert second.vacancies == {"X": 0, "Y": 0}
    assert second.tiebreak == {"c": first.tiebreak["c"]}  # the lottery number is kept


def test_a_new_draw_over_fewer_applicants_numbers_everyone_afresh():
    first = stable_match(FIRST_PASS, {"X": 1, "Y": 1}, seed=9)
    remaining = {k: v for k, v in FIRST_PASS.items() if k != "a"}

    second = stable_match(remaining, {"X": 1, "Y": 1}, seed=9)

    assert sorted(second.tiebreak.values()) == [1, 2]
    assert second.tiebreak != {k: v for k, v in first.tiebreak.items() if k != "a"}


def test_fixed_applicants_cannot_be_displaced_and_use_up_capacity():
    choices = {"new": [("X", 99)], "low": [("X", 1)]}

    result = stable_match(choices, {"X": 2}, fixed={"low": "X", "elsewhere": "X"})

    assert result.assignment == {"new": None, "low": "X", "elsewhere": "X"}
    assert result.cutoffs == {"X": None}
    assert result.vacancies == {"X": 0}


def test_fixed_applicants_need_no_tiebreak_and_do_not_propose():
    choices = {"f": [("X", 99)], "n": [("X", 50), ("Y", 50)]}

    result = stable_match(choices, {"X": 1, "Y": 1}, tiebreak={"n": 1}, fixed={"f": "Y"})

    assert result.assignment == {"f": "Y", "n": "X"}
    assert result.tiebreak == {"n": 1}
    assert result.proposals == 1


def test_a_fixed_applicant_may_hold_a_post_they_did_not_list():
    result = stable_match({"f": [("X", 1)]}, {"X": 1, "Y": 1}, fixed={"f": "Y"})

    assert result.assignment == {"f": "Y"}
    assert result.vacancies == {"X": 1, "Y": 0}
