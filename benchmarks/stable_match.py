"""Benchmark: ``jobs.matching.stable_match`` on synthetic instances of realistic size.

Instances (generated with fixed seeds; nothing is read from disk):

- **province**: Guangdong's village posts: 100,000 graduates, 10 ranked choices each, over
  26,735 posts (one per village; 90 % with headcount 1, 10 % with 2) in 122 counties of
  21 cities. Each graduate has a home county; 70 % of their choices are in it, 20 % elsewhere
  in their home city, 10 % anywhere; popular posts (a Pareto weight) are chosen and ranked
  higher. A post's score for a graduate is 50 % written exam + 50 % interview (0–100, one
  decimal) plus policy bonuses: +3 for a post in the home county, +1 for the pre-service
  track completed, +2 for a graduate of an under-served city applying to an under-served post.
- **residency**: US residency scale: 45,000 applicants, 41,500 positions in 5,000 programmes
  (sizes 1–30), 12 choices each, popularity-weighted; a programme's score is a common quality
  plus its own noise (one decimal).
- **versus `matching`**: 2,000 applicants × 200 posts (capacities 1–15, 10 choices each, integer
  scores so that ties occur) solved by ``stable_match`` and by the ``matching`` package's
  ``HospitalResident`` (resident-optimal); the script checks that the assignments are identical
  (ties broken for ``matching`` by ``result.tiebreak``) and times both.

Measured: wall time of the ``stable_match`` call only (``time.perf_counter``; best and median
of ``--repeat`` runs, garbage collector left on as in production) and its CPU time
(``time.process_time``, the fair figure when other work shares the machine), the process's current RSS
before the call and its peak RSS after all runs (``resource.getrusage``), and the
``tracemalloc`` peak of one more call (run separately because tracing slows it down).

Targets (province): ≤ 2 s on one core, peak memory ≤ 1 GB. The script exits non-zero when a
target is missed or the results differ from ``matching``.

Usage (from the repository root)::

    .venv/bin/python benchmarks/stable_match.py            # about a minute
    .venv/bin/python benchmarks/stable_match.py --quick    # one tenth of the sizes, one run
    .venv/bin/python benchmarks/stable_match.py --only province --repeat 15
"""

import argparse
import bisect
import gc
import itertools
import random
import resource
import statistics
import sys
import threading
import time
import tracemalloc
import warnings
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.support import load_average, machine  # noqa: E402
from jobs.matching import stable_match  # noqa: E402

TARGET_SECONDS = 2.0
TARGET_MB = 1024.0
PAGE = 4096


# --- instances ---------------------------------------------------------------------------


def _weighted_sampler(rng: random.Random, weights: list[float]):
    cum = list(itertools.accumulate(weights))
    total = cum[-1]
    return lambda: bisect.bisect_right(cum, rng.random() * total)


def province(*, applicants: int = 100_000, posts: int = 26_735, choices: int = 10, seed: int = 5):
    """Graduates applying to village posts, biased to their home county."""
    rng = random.Random(seed)
    n_cities, n_counties = 21, 122
    under_served = set(range(12))  # 12 of 21 cities: eastern, western, northern Guangdong
    county_city = [c * n_cities // n_counties for c in range(n_counties)]
    county_weight = [rng.lognormvariate(0, 0.6) for _ in range(n_counties)]
    pick_county = _weighted_sampler(rng, county_weight)
    post_county = sorted(pick_county() for _ in range(posts))
    post_ids = [f"V{c:03d}-{k:05d}" for k, c in enumerate(post_county)]
    capacities = {p: 2 if rng.random() < 0.1 else 1 for p in post_ids}
    popularity = [rng.paretovariate(1.5) for _ in range(posts)]
    by_county: list[list[int]] = [[] for _ in range(n_counties)]
    for k, c in enumerate(post_county):
        by_county[c].append(k)
    by_city: list[list[int]] = [[] for _ in range(n_cities)]
    for c in range(n_counties):
        by_city[county_city[c]].extend(by_county[c])
    samplers = {}

    def sampler(pool_key, pool):
        if pool_key not in samplers:
            samplers[pool_key] = (pool, _weighted_sampler(rng, [popularity[k] for k in pool]))
        pool, draw = samplers[pool_key]
        return pool[draw()]

    everywhere = list(range(posts))
    result = {}
    for a in range(applicants):
        home = pick_county()
        city = county_city[home]
        exam = min(100.0, max(0.0, rng.gauss(68, 10)))
        interview = min(100.0, max(0.0, rng.gauss(75, 8)))
        base = round(exam, 1) * 0.5 + round(interview, 1) * 0.5
        preservice = rng.random() < 0.4
        chosen: set[int] = set()
        while len(chosen) < choices:
            r = rng.random()
            if r < 0.7 and by_county[home]:
                chosen.add(sampler(("county", home), by_county[home]))
            elif r < 0.9:
                chosen.add(sampler(("city", city), by_city[city]))
            else:
                chosen.add(sampler("all", everywhere))
        ranked = sorted(chosen, key=lambda k: -popularity[k] * rng.lognormvariate(0, 0.5))
        row = []
        for k in ranked:
            score = base + (1 if preservice else 0)
            if post_county[k] == home:
                score += 3
            if city in under_served and county_city[post_county[k]] in under_served:
                score += 2
            row.append((post_ids[k], round(score, 2)))
        result[f"G{a:06d}"] = row
    return result, capacities


def residency(*, applicants: int = 45_000, positions: int = 41_500, programmes: int = 5_000,
              choices: int = 12, seed: int = 6):  # fmt: skip
    """US residency match scale: programmes of 1–30 positions."""
    rng = random.Random(seed)
    sizes = [1 + min(29, int(rng.expovariate(1 / 7))) for _ in range(programmes)]
    while sum(sizes) != positions:  # adjust to the exact number of positions
        k = rng.randrange(programmes)
        if sum(sizes) > positions and sizes[k] > 1:
            sizes[k] -= 1
        elif sum(sizes) < positions and sizes[k] < 30:
            sizes[k] += 1
    ids = [f"P{k:04d}" for k in range(programmes)]
    capacities = dict(zip(ids, sizes, strict=True))
    popularity = [rng.paretovariate(2.0) * s for s in sizes]
    draw = _weighted_sampler(rng, popularity)
    result = {}
    for a in range(applicants):
        quality = rng.gauss(0, 1)
        chosen: set[int] = set()
        while len(chosen) < choices:
            chosen.add(draw())
        ranked = sorted(chosen, key=lambda k: -popularity[k] * rng.lognormvariate(0, 0.4))
        result[f"A{a:05d}"] = [
            (ids[k], round(50 + 10 * quality + rng.gauss(0, 5), 1)) for k in ranked
        ]
    return result, capacities


def small(*, applicants: int = 2_000, posts: int = 200, choices: int = 10, seed: int = 7):
    rng = random.Random(seed)
    ids = [f"H{k:03d}" for k in range(posts)]
    capacities = {p: rng.randint(1, 15) for p in ids}
    result = {}
    for a in range(applicants):
        quality = rng.randint(40, 80)
        result[a] = [
            (ids[k], quality + rng.randint(0, 20)) for k in rng.sample(range(posts), choices)
        ]
    return result, capacities


# --- measuring ---------------------------------------------------------------------------


def rss_now_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(name: str, choices, capacities, repeat: int) -> dict:
    pairs = sum(map(len, choices.values()))
    places = sum(capacities.values())
    gc.collect()
    before = rss_now_mb()
    times, cpu = [], []
    result = None
    for _ in range(repeat):
        result = None
        gc.collect()
        c0, t0 = time.process_time(), time.perf_counter()
        result = stable_match(choices, capacities, seed=1)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    peak = peak_rss_mb()
    result = None
    gc.collect()
    tracemalloc.start()
    result = stable_match(choices, capacities, seed=1)
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    matched = sum(p is not None for p in result.assignment.values())
    full = sum(c is not None for c in result.cutoffs.values())
    return {
        "instance": name,
        "applicants": len(choices),
        "posts": len(capacities),
        "places": places,
        "pairs": pairs,
        "proposals": result.proposals,
        "matched": matched,
        "posts_full": full,
        "best_s": min(times),
        "median_s": statistics.median(times),
        "cpu_s": statistics.median(cpu),
        "rss_before_mb": before,
        "peak_rss_mb": peak,
        "traced_mb": traced / 2**20,
    }


def versus_matching(choices, capacities, repeat: int) -> dict:
    from matching.games import HospitalResident

    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        ours = stable_match(choices, capacities, seed=1)
        times.append(time.perf_counter() - t0)
    tb = ours.tiebreak
    resident_prefs = {a: [p for p, _ in row] for a, row in choices.items()}
    applicants_of: dict = {p: [] for p in capacities}
    for a, row in choices.items():
        for p, s in row:
            applicants_of[p].append((-s, tb[a], a))
    hospital_prefs = {p: [a for *_, a in sorted(rows)] for p, rows in applicants_of.items()}
    # `matching` deep-copies its web of players recursively: give it a deep stack.
    timings: dict = {}

    def run_matching() -> None:
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            game = HospitalResident.create_from_dictionaries(
                resident_prefs, hospital_prefs, capacities
            )
        t1 = time.perf_counter()
        timings["solved"] = game.solve(optimal="resident")
        timings["build"], timings["solve"] = t1 - t0, time.perf_counter() - t1

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1_000_000)
    threading.stack_size(1 << 30)
    try:
        worker = threading.Thread(target=run_matching)
        worker.start()
        worker.join()
    finally:
        threading.stack_size(0)
        sys.setrecursionlimit(limit)
    solved = timings["solved"]
    theirs = dict.fromkeys(choices)
    for hospital, residents in solved.items():
        for r in residents:
            theirs[r.name] = hospital.name
    return {
        "ours_best_s": min(times),
        "matching_build_s": timings["build"],
        "matching_solve_s": timings["solve"],
        "identical": theirs == ours.assignment,
        "matched": sum(p is not None for p in ours.assignment.values()),
    }


# --- main --------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one tenth of the sizes, one run")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per instance")
    parser.add_argument(
        "--skip-matching", action="store_true", help="no comparison with `matching`"
    )
    parser.add_argument(
        "--only", choices=["province", "residency", "small"], help="measure one instance only"
    )
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    repeat = 1 if args.quick else args.repeat
    wanted = [args.only] if args.only else ["province", "residency", "small"]

    print(f"# {machine()}")
    print(f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average {load_average()}")
    rows = []
    if "province" in wanted:
        t0 = time.perf_counter()
        inst = province(applicants=100_000 // scale, posts=26_735 // scale)
        print(f"# province instance generated in {time.perf_counter() - t0:.1f} s")
        rows.append(measure("province", *inst, repeat))
        del inst
    if "residency" in wanted:
        t0 = time.perf_counter()
        inst = residency(
            applicants=45_000 // scale, positions=41_500 // scale, programmes=5_000 // scale
        )
        print(f"# residency instance generated in {time.perf_counter() - t0:.1f} s")
        rows.append(measure("residency", *inst, repeat))
        del inst
    if "small" in wanted:
        rows.append(measure("2,000 × 200", *small(), repeat))

    print()
    print("| instance | applicants | posts | places | pairs | proposals | matched | posts full "
          "| best (s) | median (s) | median CPU (s) | RSS before (MB) | peak RSS (MB) | traced peak of the call (MB) |")  # fmt: skip
    print("| --- |" + " ---: |" * 13)
    for r in rows:
        print(
            f"| {r['instance']} | {r['applicants']:,} | {r['posts']:,} | {r['places']:,} "
            f"| {r['pairs']:,} | {r['proposals']:,} | {r['matched']:,} | {r['posts_full']:,} "
            f"| {r['best_s']:.2f} | {r['median_s']:.2f} | {r['cpu_s']:.2f} | {r['rss_before_mb']:.0f} "
            f"| {r['peak_rss_mb']:.0f} | {r['traced_mb']:.0f} |"
        )
    ok = True
    prov = rows[0]
    if prov["instance"] == "province" and not args.quick:
        met = prov["median_s"] <= TARGET_SECONDS and prov["peak_rss_mb"] <= TARGET_MB
        ok &= met
        print(f"\nprovince target ≤ {TARGET_SECONDS} s and ≤ {TARGET_MB:.0f} MB: "
              f"{'met' if met else 'NOT MET'}")  # fmt: skip

    if not args.skip_matching and "small" in wanted:
        v = versus_matching(*small(), repeat)
        print()
        print(
            "| 2,000 × 200 | stable_match (s) | matching: build (s) | matching: solve (s) | identical |"
        )
        print("| --- | ---: | ---: | ---: | --- |")
        print(f"| {v['matched']:,} matched | {v['ours_best_s']:.3f} | {v['matching_build_s']:.2f} "
              f"| {v['matching_solve_s']:.2f} | {'yes' if v['identical'] else 'NO'} |")  # fmt: skip
        ok &= v["identical"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
