"""Two runs side by side."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from ...models import (
    MatchRun,
    PostCutoff,
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
