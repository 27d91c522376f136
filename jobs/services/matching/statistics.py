"""Statistics of a run, computed from the in-memory outcome."""

from __future__ import annotations

from collections import Counter, defaultdict

from regions.models import Region

from .priorities import path_codes


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
