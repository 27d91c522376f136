"""Priorities from policy: weights, the best-of hometown bonus, pre-service, under-served,
the round's other bonuses, and the checks of simulation parameters."""

from decimal import Decimal

import pytest

from jobs.services.matching import (
    ApplicantFacts,
    MatchRunError,
    Policy,
    extra_bonuses_clean,
    parameters_clean,
    policy_for,
    post_facts,
    priority_breakdown,
    priority_score,
)

VILLAGE = "440000/441400/441403/441403001/441403001001/"
SAME_TOWNSHIP = "440000/441400/441403/441403001/441403001002/"
SAME_COUNTY = "440000/441400/441403/441403100/441403100001/"
ELSEWHERE = "440000/440100/440106/440106001/440106001001/"


def policy(**kw) -> Policy:
    values = {
        "weight_written": Decimal("40"),
        "weight_interview": Decimal("60"),
        "bonus_home_village": Decimal("5"),
        "bonus_home_township": Decimal("3"),
        "bonus_home_county": Decimal("1"),
        "bonus_preservice": Decimal("2"),
        "bonus_under_served": Decimal("1.5"),
    }
    values.update(kw)
    return Policy(**values)


def person(home=ELSEWHERE, **kw) -> ApplicantFacts:
    values = {"written": Decimal("80"), "interview": Decimal("90"), "hometown_path": home}
    values.update(kw)
    return ApplicantFacts(**values)


POST = post_facts(village_path=VILLAGE)


def test_weights():
    # 40% × 80 + 60% × 90 = 86
    assert priority_score(policy=policy(), applicant=person(), post=POST) == Decimal("86.000")
    p = policy(weight_written=Decimal("50"), weight_interview=Decimal("50"))
    assert priority_score(policy=p, applicant=person(), post=POST) == Decimal("85.000")


def test_odd_weights_round_to_three_decimals():
    p = policy(weight_written=Decimal("33.33"), weight_interview=Decimal("66.67"))
    score = priority_score(
        policy=p, applicant=person(written=Decimal("81.5"), interview=Decimal("77.25")), post=POST
    )
    assert score == Decimal("78.667")  # 27.16395 + 51.502575 = 78.666525, half up


@pytest.mark.parametrize(
    ("home", "bonus"),
    [(VILLAGE, 5), (SAME_TOWNSHIP, 3), (SAME_COUNTY, 1), (ELSEWHERE, 0), ("", 0)],
)
def test_hometown_bonus_best_of_village_township_county(home, bonus):
    b = priority_breakdown(policy=policy(), applicant=person(home), post=POST)
    # Only the best one applies: a villager gets 5, not 5 + 3 + 1.
    assert b["hometown"] == bonus
    assert b["total"] == Decimal("86") + bonus


def test_hometown_at_township_level_counts_for_the_township():
    township = "440000/441400/441403/441403001/"
    assert priority_breakdown(policy=policy(), applicant=person(township), post=POST)[
        "hometown"
    ] == Decimal("3")


def test_preservice_bonus_only_when_the_round_names_a_path():
    with_path = policy(preservice_path_key="abc")
    done = person(preservice_done=True)
    assert priority_score(policy=with_path, applicant=done, post=POST) == Decimal("88.000")
    assert priority_score(policy=with_path, applicant=person(), post=POST) == Decimal("86.000")
    assert priority_score(policy=policy(), applicant=done, post=POST) == Decimal("86.000")


def test_under_served_bonus_from_the_village_or_an_ancestor():
    by_city = post_facts(village_path=VILLAGE, under_served_paths={"440000/441400/"})
    by_village = post_facts(village_path=VILLAGE, under_served_paths={VILLAGE})
    elsewhere = post_facts(village_path=VILLAGE, under_served_paths={"440000/440100/"})
    assert by_city.under_served and by_village.under_served and not elsewhere.under_served
    assert priority_score(policy=policy(), applicant=person(), post=by_city) == Decimal("87.500")
    assert priority_score(policy=policy(), applicant=person(), post=elsewhere) == Decimal("86")


def _extras(*rules):
    from jobs.services.matching import ExtraBonus

    return tuple(
        ExtraBonus(
            name=r["rule"],
            points=Decimal(str(r["points"])),
            rule=r["rule"],
            values=frozenset(r.get("value", [])),
        )
        for r in rules
    )


def test_extra_bonus_rules():
    p = policy(
        extra_bonuses=_extras(
            {"rule": "political_status", "points": 1, "value": ["cpc_member"]},
            {"rule": "dialect", "points": "0.5", "value": ["hakka"]},
            {"rule": "education_level", "points": 2, "value": ["master"]},
            {"rule": "major", "points": 1, "value": ["080901"]},
            {"rule": "post_dialect", "points": 3},
        )
    )
    plain = person(
        political_status="cyl_member", dialects=("cantonese",), education_level="bachelor"
    )
    assert priority_score(policy=p, applicant=plain, post=POST) == Decimal("86")
    member = person(political_status="cpc_member")
    assert priority_score(policy=p, applicant=member, post=POST) == Decimal("87")
    hakka = person(dialects=("hakka",))
    assert priority_score(policy=p, applicant=hakka, post=POST) == Decimal("86.5")
    doctor = person(education_level="doctor")  # "at least a master's"
    assert priority_score(policy=p, applicant=doctor, post=POST) == Decimal("88")
    major = person(major_code="080901")
    assert priority_score(policy=p, applicant=major, post=POST) == Decimal("87")
    hakka_post = post_facts(village_path=VILLAGE, dialects=["hakka"])
    assert priority_score(policy=p, applicant=hakka, post=hakka_post) == Decimal("89.5")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"rule": "x"}, "must be a list"),
        ([{"rule": "zodiac", "points": 1, "value": "ox"}], "unknown rule"),
        ([{"rule": "dialect", "points": "lots", "value": "hakka"}], "must be a number"),
        ([{"rule": "dialect", "points": 101, "value": "hakka"}], "between 0 and 100"),
        ([{"rule": "dialect", "points": 1, "value": "klingon"}], "unknown value"),
        ([{"rule": "dialect", "points": 1}], "needs a value"),
        ([1], "not a rule"),
    ],
)
def test_bad_extra_bonuses_are_refused(raw, message):
    with pytest.raises(MatchRunError) as exc:
        extra_bonuses_clean(raw)
    assert message in exc.value.message


def test_extra_bonuses_normalised():
    assert extra_bonuses_clean(
        [{"name": "党员", "points": 1, "rule": "political_status", "value": "cpc_member"}]
    ) == [{"name": "党员", "points": "1", "rule": "political_status", "value": ["cpc_member"]}]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"bonus_home_village": "abc"}, "must be a number"),
        ({"bonus_home_village": -1}, "between 0 and 100"),
        ({"bonus_home_village": "NaN"}, "between 0 and 100"),
        ({"status": "approved"}, "Unknown parameter"),
    ],
)
def test_bad_parameters_are_refused(params, message):
    with pytest.raises(MatchRunError) as exc:
        parameters_clean(params)
    assert message in exc.value.message


def test_policy_for_round_with_overrides(round_):
    base = policy_for(round_)
    assert base.bonus_home_village == Decimal("5")
    simulated = policy_for(round_, parameters_clean({"bonus_home_village": "8"}))
    assert simulated.bonus_home_village == Decimal("8")
    assert simulated.bonus_home_township == base.bonus_home_township
