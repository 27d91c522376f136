"""Priorities from policy: a post's score for an applicant (weights, bonuses, extra rules)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from regions.models import PATH_SEPARATOR

from ...choices import (
    EDUCATION_RANK,
    Dialect,
    PoliticalStatus,
)
from ...models import (
    RecruitmentRound,
)
from .common import EXTRA_RULES, HUNDRED, PRIORITY_FIELDS, SCORE_QUANTUM, MatchRunError

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
