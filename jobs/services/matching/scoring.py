"""Priorities for millions of pairs: bonuses in whole thousandths when that is exact."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ...choices import EDUCATION_RANK
from .common import (
    SCORE_QUANTUM,
)
from .priorities import Policy, PostFacts

THOUSAND = Decimal(1000)


# --- scores --------------------------------------------------------------------------------


def _milli(value: Decimal) -> int | None:
    """`value` in whole thousandths, or None when it has a finer part."""
    scaled = value * THOUSAND
    return int(scaled) if scaled == scaled.to_integral_value() else None


def milli_str(value: int | None) -> str | None:
    """80100 → "80.100" (as str(Decimal) of a score quantised to 0.001)."""
    if value is None:
        return None
    if value >= 0:
        return f"{value // 1000}.{value % 1000:03d}"
    return str(Decimal(value).scaleb(-3))


def milli_decimal(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value).scaleb(-3)


@dataclass(slots=True)
class _Scorer:
    """A round's policy prepared for millions of pairs: bonuses in thousandths when exact."""

    policy: Policy
    exact: bool
    village: int
    township: int
    county: int
    under_served: int
    post_dialect: int  # the sum of the post_dialect rules' points

    @classmethod
    def of(cls, policy: Policy) -> _Scorer:
        parts = [
            policy.bonus_home_village,
            policy.bonus_home_township,
            policy.bonus_home_county,
            policy.bonus_under_served,
            sum((b.points for b in policy.extra_bonuses if b.rule == "post_dialect"), Decimal(0)),
            policy.bonus_preservice,
            *(b.points for b in policy.extra_bonuses),
        ]
        millis = [_milli(Decimal(p)) for p in parts]
        exact = all(m is not None for m in millis)
        return cls(policy, exact, *[m or 0 for m in millis[:5]])

    def applicant_part(self, written, interview, dialects, political, education, major_code, pre):
        """Exam part + the bonuses that do not depend on the post (a Decimal, unrounded)."""
        p = self.policy
        total = (
            p.weight_written * (written or 0) / 100 + p.weight_interview * (interview or 0) / 100
        )
        if pre and p.preservice_path_key:
            total += p.bonus_preservice
        for bonus in p.extra_bonuses:
            rule = bonus.rule
            if (
                (rule == "political_status" and political in bonus.values)
                or (rule == "dialect" and not bonus.values.isdisjoint(dialects))
                or (rule == "major" and major_code in bonus.values)
                or (
                    rule == "education_level"
                    and any(
                        EDUCATION_RANK.get(education, -1) >= EDUCATION_RANK[v] for v in bonus.values
                    )
                )
            ):
                total += bonus.points
        return total

    def fixed_milli(self, fixed: Decimal) -> int | None:
        """The applicant part in thousandths when whole thousandths are exact (bonuses that are
        multiples of 0.001 and a non-negative exam part, see the module's doc), else None."""
        if self.exact and fixed >= 0:
            return int(fixed.quantize(SCORE_QUANTUM, rounding=ROUND_HALF_UP) * THOUSAND)
        return None

    def score(self, fixed: Decimal, fixed_milli, home: str, post: PostFacts, dialects) -> int:
        """The post's score for the applicant in thousandths, as `priority_score` rounds it."""
        if fixed_milli is None:
            value = fixed + self.post_part_decimal(home, post, dialects)
            return int(value.quantize(SCORE_QUANTUM, rounding=ROUND_HALF_UP) * THOUSAND)
        bonus = 0
        if home:
            if home == post.village_path:
                bonus = self.village
            elif post.township_path and home.startswith(post.township_path):
                bonus = self.township
            elif post.county_path and home.startswith(post.county_path):
                bonus = self.county
        if post.under_served:
            bonus += self.under_served
        if self.post_dialect and not dialects.isdisjoint(post.dialects):
            bonus += self.post_dialect
        return fixed_milli + bonus

    def post_part_decimal(self, home: str, post: PostFacts, dialects) -> Decimal:
        p = self.policy
        total = Decimal(0)
        if home:
            if home == post.village_path:
                total += p.bonus_home_village
            elif post.township_path and home.startswith(post.township_path):
                total += p.bonus_home_township
            elif post.county_path and home.startswith(post.county_path):
                total += p.bonus_home_county
        if post.under_served:
            total += p.bonus_under_served
        for bonus in p.extra_bonuses:
            if bonus.rule == "post_dialect" and not dialects.isdisjoint(post.dialects):
                total += bonus.points
        return total
