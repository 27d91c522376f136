"""Bad input to stable_match: a ValueError (MatchingInputError) that names the offender."""

import math
from decimal import Decimal

import pytest

from jobs.matching import MatchingInputError, stable_match

CAPS = {"X": 1, "Y": 2}


def raises(code, *args, **kwargs) -> MatchingInputError:
    with pytest.raises(MatchingInputError) as info:
        stable_match(*args, **kwargs)
    assert info.value.code == code
    assert isinstance(info.value, ValueError)
    return info.value


def test_a_post_with_no_capacity_entry():
    error = raises("unknown_post", {"ok": [("X", 1)], "amy": [("Y", 1), ("Q", 2)]}, CAPS)

    assert str(error) == "applicant 'amy': post 'Q' has no capacity entry"
    assert (error.applicant, error.post) == ("amy", "Q")


def test_an_unhashable_post():
    error = raises("unknown_post", {"amy": [(["X"], 1)]}, CAPS)

    assert "applicant 'amy': post ['X'] has no capacity entry" in str(error)


def test_a_post_twice_in_one_list():
    error = raises("duplicate_post", {"amy": [("X", 1), ("Y", 2), ("X", 3)]}, CAPS)

    assert str(error) == "applicant 'amy': post 'X' is listed twice"
    assert (error.applicant, error.post) == ("amy", "X")


def test_the_same_post_in_different_lists_is_fine():
    result = stable_match({"amy": [("X", 1)], "bo": [("X", 2)]}, CAPS)

    assert result.assignment == {"amy": None, "bo": "X"}


@pytest.mark.parametrize(
    "score",
    [
        math.nan,
        math.inf,
        -math.inf,
        True,
        False,
        None,
        "90",
        3 + 0j,
        Decimal("NaN"),
        Decimal("Infinity"),
        Decimal("-Infinity"),
        [90],
    ],
    ids=repr,
)
def test_a_score_that_is_not_a_finite_number(score):
    error = raises("bad_score", {"ok": [("X", 1)], "amy": [("Y", 2), ("X", score)]}, CAPS)

    assert str(error) == (
        f"applicant 'amy', post 'X': score must be a finite number, not {score!r}"
    )
    assert (error.applicant, error.post) == ("amy", "X")
    assert error.value is score


@pytest.mark.parametrize("capacity", [-1, 1.0, True, "2", None])
def test_a_capacity_that_is_not_a_non_negative_int(capacity):
    error = raises("bad_capacity", {}, {"X": 1, "Y": capacity})

    assert str(error) == f"post 'Y': capacity must be an int >= 0, not {capacity!r}"
    assert error.post == "Y"


def test_none_as_a_post_id():
    error = raises("bad_post", {}, {None: 1})

    assert "None cannot be a post id" in str(error)


@pytest.mark.parametrize(
    ("entries", "shown"),
    [
        ([("X", 1, 2)], "('X', 1, 2)"),
        ([("X",)], "('X',)"),
        (["X1"], "'X1'"),
        ([5], "5"),
        ([{"X": 1}], "{'X': 1}"),
    ],
)
def test_an_entry_that_is_not_a_post_score_pair(entries, shown):
    error = raises("bad_choice", {"amy": entries}, CAPS)

    assert str(error) == f"applicant 'amy': {shown} is not a (post, score) pair"


@pytest.mark.parametrize("lst", ["XY", {("X", 1)}, iter([("X", 1)]), None, {"X": 1}], ids=repr)
def test_choices_that_are_not_a_ranked_sequence(lst):
    error = raises("bad_choice", {"amy": lst}, CAPS)

    assert str(error).startswith("applicant 'amy': choices must be a list of (post, score) pairs")


def test_the_first_offender_in_the_order_of_choices_is_named():
    choices = {"first": [("Q", 1)], "second": [("X", math.nan)]}

    for seed in range(5):
        error = raises("unknown_post", choices, CAPS, seed=seed)
        assert error.applicant == "first"


def test_a_missing_tiebreak_number():
    error = raises(
        "missing_tiebreak", {"amy": [("X", 1)], "bo": [("X", 1)]}, CAPS, tiebreak={"amy": 1}
    )

    assert str(error) == "applicant 'bo' has no tie-break number"
    assert error.applicant == "bo"


def test_duplicate_tiebreak_numbers_are_ambiguous():
    error = raises(
        "duplicate_tiebreak",
        {"amy": [("X", 1)], "bo": [("X", 1)], "cy": [("X", 1)]},
        CAPS,
        tiebreak={"amy": 3, "bo": 1, "cy": 3},
    )

    assert str(error) == "applicants 'amy' and 'cy' have the same tie-break number 3"


@pytest.mark.parametrize("number", [1.0, True, "1", None])
def test_a_tiebreak_number_that_is_not_an_int(number):
    error = raises("bad_tiebreak", {"amy": [("X", 1)]}, CAPS, tiebreak={"amy": number})

    assert str(error) == f"applicant 'amy': tie-break number must be an int, not {number!r}"


@pytest.mark.parametrize("seed", [None, 1.5, "abc", True])
def test_a_seed_that_is_not_an_int(seed):
    error = raises("bad_seed", {"amy": [("X", 1)]}, CAPS, seed=seed)

    assert str(error) == f"seed must be an int, not {seed!r}"


def test_the_seed_is_not_needed_with_a_tiebreak():
    result = stable_match({"amy": [("X", 1)]}, CAPS, tiebreak={"amy": 1}, seed=None)

    assert result.assignment == {"amy": "X"}


def test_a_fixed_post_with_no_capacity_entry():
    error = raises("bad_fixed", {}, CAPS, fixed={"amy": "Q"})

    assert str(error) == "fixed applicant 'amy': post 'Q' has no capacity entry"


def test_more_fixed_applicants_than_places():
    error = raises("fixed_over_capacity", {}, CAPS, fixed={"a": "Y", "b": "X", "c": "Y", "d": "Y"})

    assert str(error) == "post 'Y': more fixed applicants than its capacity 2"
    assert error.post == "Y"


def test_fixed_applicants_lists_are_not_checked():
    result = stable_match({"amy": [("Q", math.nan)]}, CAPS, fixed={"amy": "X"})

    assert result.assignment == {"amy": "X"}


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"choices": [("amy", [])], "capacities": CAPS}, "choices"),
        ({"choices": {}, "capacities": [("X", 1)]}, "capacities"),
        ({"choices": {}, "capacities": CAPS, "tiebreak": [1, 2]}, "tiebreak"),
        ({"choices": {}, "capacities": CAPS, "fixed": [("a", "X")]}, "fixed"),
    ],
)
def test_arguments_that_are_not_mappings(kwargs, name):
    with pytest.raises(TypeError, match=f"^{name} must be a mapping, not list$"):
        stable_match(**kwargs)
