"""Reference checks for stable_match, written from the definitions, sharing no code with it.

A post's priority for an applicant is ``(score, -tiebreak[applicant])``: higher wins.
"""

import itertools
from collections import defaultdict


def priority(choices, tiebreak, applicant, post):
    score = dict(choices[applicant])[post]
    return (score, -tiebreak[applicant])


def rank_of(choices, applicant, post):
    """Position of ``post`` in the applicant's list (0 = first choice); unmatched is worst."""
    if post is None:
        return len(choices[applicant])
    return [p for p, _ in choices[applicant]].index(post)


def problems(choices, capacities, tiebreak, assignment, fixed=None):
    """Everything that makes ``assignment`` not a valid stable matching; [] if none.

    With ``fixed``, those applicants must keep their post, count against its capacity, and
    cannot be displaced; the others must be stable against them and each other.
    """
    fixed = fixed or {}
    found = []
    if set(assignment) != set(choices) | set(fixed):
        found.append(("applicants", set(assignment) ^ (set(choices) | set(fixed))))
    holders = defaultdict(list)
    for a, p in assignment.items():
        if p is None:
            continue
        holders[p].append(a)
        if a in fixed:
            if p != fixed[a]:
                found.append(("fixed moved", a, p))
        elif p not in dict(choices[a]):
            found.append(("not listed", a, p))
    for a, p in fixed.items():
        if assignment.get(a) != p:
            found.append(("fixed lost", a, p))
    for p, hs in holders.items():
        if len(hs) > capacities[p]:
            found.append(("over capacity", p, hs))
    for a, lst in choices.items():
        if a in fixed:
            continue
        current = rank_of(choices, a, assignment[a])
        for p, _ in lst[:current]:
            hs = holders[p]
            if len(hs) < capacities[p]:
                found.append(("blocking: room", a, p))
                continue
            mine = priority(choices, tiebreak, a, p)
            if any(b not in fixed and priority(choices, tiebreak, b, p) < mine for b in hs):
                found.append(("blocking: outranks a holder", a, p))
    return found


def all_stable_matchings(choices, capacities, tiebreak, fixed=None):
    """Every stable matching, by brute force over all assignments (tiny instances only)."""
    fixed = fixed or {}
    free = [a for a in choices if a not in fixed]
    options = [[None, *(p for p, _ in choices[a])] for a in free]
    stable = []
    for combo in itertools.product(*options):
        assignment = dict(zip(free, combo, strict=True))
        assignment.update(fixed)
        if not problems(choices, capacities, tiebreak, assignment, fixed):
            stable.append(assignment)
    return stable
