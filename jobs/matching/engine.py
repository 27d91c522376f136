"""Applicant-proposing deferred acceptance with capacities; see the package docstring.

Implementation notes (the figures are in docs/benchmarks.md, "Issue 5 — stable_match"):

- Ids are mapped to integers once. Proposers are numbered in tie-break order (index 0 holds
  the lowest tie-break number, i.e. wins every tie), posts in the order of ``capacities``.
- Every (applicant, post) pair gets one integer priority key::

      key = rank_of_score * N + (N - 1 - applicant_index)

  where ``rank_of_score`` is the rank of the score among all distinct scores of the input.
  A higher key wins; the key is unique for each applicant, so every post's priority order is
  strict, and the applicant is recovered from a key as ``N - 1 - key % N``. Comparing two plain
  integers is the cheapest comparison CPython has, and a post's heap holds only integers.
- The pairs live in two flat lists (posts, keys) with per-applicant bounds; each post keeps a
  min-heap of the keys it holds, so its worst admitted applicant is ``heap[0]``, and a
  *floor*: -1 while it has room, then ``heap[0]``. Most proposals are refused, and a refusal
  costs one integer comparison with the floor.
- A rejected applicant proposes again at once (the chain continues with them) instead of
  going back on a stack: deferred acceptance ends in the same matching whatever the order of
  proposals, so the order only affects speed.
- Validation is done on whole columns at C speed (``map``, ``set``); only when something is
  wrong is the input walked again, slowly, to name the first offender.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from heapq import heappush, heapreplace
from itertools import accumulate, chain, count, pairwise, repeat
from numbers import Integral, Rational, Real
from operator import add, itemgetter, mul, sub
from random import Random
from typing import Any

__all__ = ["MatchResult", "MatchingInputError", "stable_match"]

Score = Any  # int, float, Decimal, Fraction … any finite real number
_FAST_SCORE_TYPES = frozenset({int, float, Decimal})
_FAST_LIST_TYPES = frozenset({list, tuple})


class MatchingInputError(ValueError):
    """Bad input to :func:`stable_match`.

    The message names the offender; the attributes carry it for callers that want to show
    their own (translated) message. ``code`` is one of: ``bad_choice``, ``unknown_post``,
    ``duplicate_post``, ``bad_score``, ``bad_post``, ``bad_capacity``, ``missing_tiebreak``,
    ``bad_tiebreak``, ``duplicate_tiebreak``, ``bad_fixed``, ``fixed_over_capacity``,
    ``bad_seed``. Attributes that do not apply are ``None``.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str,
        applicant: Hashable | None = None,
        post: Hashable | None = None,
        value: Any = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.applicant = applicant
        self.post = post
        self.value = value


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The outcome of one run of :func:`stable_match`.

    Attributes:
        assignment: ``{applicant_id: post_id or None}`` for every applicant in ``choices``
            (in the iteration order of ``choices``), then every applicant of ``fixed`` not in
            ``choices``. Fixed applicants have their fixed post.
        cutoffs: ``{post_id: score or None}`` for every post in ``capacities``: the lowest
            score admitted by this run if the post has no place left, else ``None``. A post
            whose places are all taken by ``fixed`` applicants, or whose capacity is 0, has
            no admitted score: ``None`` (and ``vacancies`` 0).
        last_admitted: ``{post_id: applicant_id or None}``: the applicant holding the cutoff
            (``None`` where the cutoff is ``None``). Applicants listing the post with a score
            equal to the cutoff were refused on the tie-break:
            ``tiebreak[applicant] > tiebreak[last_admitted[post]]``.
        vacancies: ``{post_id: int}``: places left unfilled (capacity minus fixed minus
            admitted).
        tiebreak: ``{applicant_id: int}``: the tie-break numbers used (lower wins), in
            ascending order: the drawn lottery numbers 1..n of every applicant in ``choices``
            (fixed ones too), or, when given, those of every applicant who proposed. Passing
            it back as ``tiebreak=`` (with the same other arguments) replays the run.
        proposals: how many (applicant, post) proposals the run made.
    """

    assignment: dict[Hashable, Hashable | None]
    cutoffs: dict[Hashable, Score | None]
    last_admitted: dict[Hashable, Hashable | None]
    vacancies: dict[Hashable, int]
    tiebreak: dict[Hashable, int]
    proposals: int


def stable_match(
    choices: Mapping[Hashable, Sequence[tuple[Hashable, Score]]],
    capacities: Mapping[Hashable, int],
    tiebreak: Mapping[Hashable, int] | None = None,
    seed: int = 0,
    *,
    fixed: Mapping[Hashable, Hashable] | None = None,
) -> MatchResult:
    """Match applicants to posts: applicant-proposing deferred acceptance with capacities.

    Args:
        choices: ``{applicant_id: [(post_id, score), ...]}``, each list ranked best first;
            ``score`` is the post's priority for this applicant (higher wins). List only
            eligible pairs. Applicants in ``fixed`` do not propose: their lists are ignored.
        capacities: ``{post_id: int >= 0}``; every post named in a list must be here.
        tiebreak: ``{applicant_id: int}``: on an equal score the lower number wins. Must give
            a distinct number to every applicant in ``choices`` not in ``fixed``; other
            entries are ignored. ``None``: a lottery drawn from ``seed`` (a permutation
            numbered 1..n, see the package docstring).
        seed: an ``int``; used only when ``tiebreak`` is ``None``.
        fixed: ``{applicant_id: post_id}``: placements kept from an earlier pass. They keep
            their post, use up its capacity and never propose; nobody can displace them.

    Raises:
        MatchingInputError: (a ``ValueError``) bad content; the message names the offender.
        TypeError: ``choices``, ``capacities``, ``tiebreak`` or ``fixed`` is not a mapping.
    """
    _require_mapping("choices", choices)
    _require_mapping("capacities", capacities)
    if tiebreak is not None:
        _require_mapping("tiebreak", tiebreak)
    if fixed is None:
        fixed = {}
    else:
        _require_mapping("fixed", fixed)
    if tiebreak is None and (not isinstance(seed, Integral) or isinstance(seed, bool)):
        raise MatchingInputError(f"seed must be an int, not {seed!r}", code="bad_seed", value=seed)

    # --- posts ---------------------------------------------------------------------------
    post_ids = list(capacities)
    post_index = {p: k for k, p in enumerate(post_ids)}
    if None in post_index:
        raise MatchingInputError(
            "None cannot be a post id: in the assignment it means 'not matched'",
            code="bad_post",
            post=None,
        )
    caps = list(capacities.values())
    if not set(map(type, caps)) <= {int} or (caps and min(caps) < 0):
        for p, c in capacities.items():
            if not isinstance(c, Integral) or isinstance(c, bool) or c < 0:
                raise MatchingInputError(
                    f"post {p!r}: capacity must be an int >= 0, not {c!r}",
                    code="bad_capacity",
                    post=p,
                    value=c,
                )
        caps = [int(c) for c in caps]
    room = caps[:]
    for a, p in fixed.items():
        k = _lookup(post_index, p)
        if k is None:
            raise MatchingInputError(
                f"fixed applicant {a!r}: post {p!r} has no capacity entry",
                code="bad_fixed",
                applicant=a,
                post=p,
            )
        room[k] -= 1
        if room[k] < 0:
            raise MatchingInputError(
                f"post {p!r}: more fixed applicants than its capacity {caps[k]}",
                code="fixed_over_capacity",
                post=p,
                value=caps[k],
            )

    # --- tie-break: proposers numbered in tie-break order ---------------------------------
    if tiebreak is None:
        lottery = _draw_lottery(choices, seed)
        used_tiebreak = {a: n for n, a in enumerate(lottery, 1)}
        proposers = [a for a in lottery if a not in fixed] if fixed else lottery
    else:
        proposers = [a for a in choices if a not in fixed] if fixed else list(choices)
        proposers, numbers = _order_by_tiebreak(proposers, tiebreak)
        used_tiebreak = dict(zip(proposers, numbers, strict=True))
    n = len(proposers)

    # --- pairs: two flat columns with per-applicant bounds ------------------------------
    lists = list(map(choices.__getitem__, proposers))
    m = len(post_ids)
    try:
        if not set(map(type, lists)) <= _FAST_LIST_TYPES:
            raise ValueError
        lengths = list(map(len, lists))
        pairs = list(chain.from_iterable(lists))
        if not set(map(type, pairs)) <= _FAST_LIST_TYPES or set(map(len, pairs)) - {2}:
            raise ValueError
        flat_posts = list(map(post_index.__getitem__, map(itemgetter(0), pairs)))
        scores = list(map(itemgetter(1), pairs))
        distinct = set(scores)  # far fewer than the pairs: check these
        if not set(map(type, distinct)) <= _FAST_SCORE_TYPES or not all(
            map(math.isfinite, distinct)
        ):
            raise ValueError
        # A post twice in one list: one number per (applicant, post), all must differ.
        owner_offsets = chain.from_iterable(map(repeat, range(0, n * m, m), lengths))
        if len(set(map(add, flat_posts, owner_offsets))) != len(flat_posts):
            raise ValueError
    except (TypeError, ValueError, KeyError, OverflowError):
        # Walk the input slowly to name the first offender, in the order of ``choices``.
        for a, lst in choices.items():
            if a not in fixed:
                _diagnose(a, lst, post_index)
        # Nothing wrong after all: sequences other than list/tuple, or numbers the fast
        # check does not know (Fraction, a Decimal beyond the float range …).
        lengths = list(map(len, lists))
        pairs = list(chain.from_iterable(lists))
        scores = [s for _, s in pairs]
        flat_posts = [post_index[p] for p, _ in pairs]
        distinct = set(scores)
    del pairs, lists
    ends = list(accumulate(lengths))
    starts = [0, *ends][:-1]

    rank = dict(zip(sorted(distinct), count()))
    # key = rank * n + (n - 1 - i) for every pair of proposer i
    flat_keys = list(
        map(
            add,
            map(mul, map(rank.__getitem__, scores), repeat(n)),
            chain.from_iterable(map(repeat, range(n - 1, -1, -1), lengths)),
        )
    )
    # A proposal gets in iff its key is above the post's floor: -1 while the post has room,
    # then the key of its worst holder; above every key for a post with no place at all.
    no_entry = len(rank) * n
    floor = [-1 if r else no_entry for r in room]
    del rank, distinct, lengths

    # --- deferred acceptance -------------------------------------------------------------
    heaps: list[list[int]] = [[] for _ in post_ids]
    nxt = starts[:]
    last = n - 1
    for first in range(n):
        i = first
        while True:
            for j in range(nxt[i], ends[i]):
                p = flat_posts[j]
                k = flat_keys[j]
                if k > floor[p]:
                    break
            else:
                nxt[i] = ends[i]  # refused everywhere: stays unmatched
                break
            nxt[i] = j + 1
            h = heaps[p]
            if room[p]:
                heappush(h, k)
                room[p] -= 1
                if not room[p]:
                    floor[p] = h[0]
                break
            i = last - heapreplace(h, k) % n  # the worst holder is rejected, proposes on
            floor[p] = h[0]
    proposals = sum(map(sub, nxt, starts))

    # --- result --------------------------------------------------------------------------
    assignment: dict[Hashable, Hashable | None] = dict.fromkeys(choices)
    assignment.update(fixed)
    cutoffs: dict[Hashable, Score | None] = dict.fromkeys(post_ids)
    last_admitted: dict[Hashable, Hashable | None] = dict.fromkeys(post_ids)
    for p, h in enumerate(heaps):
        if not h:
            continue
        post = post_ids[p]
        for k in h:
            assignment[proposers[last - k % n]] = post
        if not room[p]:
            i = last - h[0] % n
            last_admitted[post] = proposers[i]
            cutoffs[post] = scores[flat_posts.index(p, starts[i], ends[i])]
    return MatchResult(
        assignment=assignment,
        cutoffs=cutoffs,
        last_admitted=last_admitted,
        vacancies=dict(zip(post_ids, room, strict=True)),
        tiebreak=used_tiebreak,
        proposals=proposals,
    )


# --- helpers -----------------------------------------------------------------------------


def _require_mapping(name: str, value: object) -> None:
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping, not {type(value).__name__}")


def _lookup(index: dict, key: object) -> int | None:
    try:
        return index.get(key)
    except TypeError:  # unhashable
        return None


def _draw_lottery(choices: Mapping, seed: int) -> list:
    """All applicants of ``choices`` in lottery order (first = tie-break number 1).

    The base order is the sorted ids when they sort (ints, strs, UUIDs, tuples of these), so
    the draw does not depend on the order the mapping was built in; otherwise the iteration
    order of ``choices``. The shuffle is Fisher–Yates driven by ``Random(seed).random()``,
    whose sequence Python guarantees across versions (``random.shuffle`` is not promised to
    stay the same).
    """
    try:
        order = sorted(choices)
    except TypeError:
        order = list(choices)
    rnd = Random(seed).random  # noqa: S311 - a public, replayable lottery, not a secret
    for i in range(len(order) - 1, 0, -1):
        j = int(rnd() * (i + 1))
        order[i], order[j] = order[j], order[i]
    return order


def _order_by_tiebreak(proposers: list, tiebreak: Mapping) -> tuple[list, list[int]]:
    """``proposers`` sorted by their tie-break number, and the numbers, after checking them."""
    values = []
    for a in proposers:
        try:
            v = tiebreak[a]
        except KeyError:
            raise MatchingInputError(
                f"applicant {a!r} has no tie-break number", code="missing_tiebreak", applicant=a
            ) from None
        if type(v) is not int:
            if not isinstance(v, Integral) or isinstance(v, bool):
                raise MatchingInputError(
                    f"applicant {a!r}: tie-break number must be an int, not {v!r}",
                    code="bad_tiebreak",
                    applicant=a,
                    value=v,
                )
            v = int(v)
        values.append(v)
    order = sorted(range(len(proposers)), key=values.__getitem__)
    for x, y in pairwise(order):
        if values[x] == values[y]:
            a, b = proposers[x], proposers[y]
            raise MatchingInputError(
                f"applicants {a!r} and {b!r} have the same tie-break number {values[x]}",
                code="duplicate_tiebreak",
                applicant=a,
                value=values[x],
            )
    return [proposers[x] for x in order], [values[x] for x in order]


def _is_finite_number(s: object) -> bool:
    if isinstance(s, bool):
        return False
    if isinstance(s, Rational):  # int, Fraction: always finite
        return True
    if isinstance(s, Decimal):
        return s.is_finite()
    if isinstance(s, Real):
        try:
            return math.isfinite(s)
        except (TypeError, ValueError, OverflowError):
            return False
    return False


def _diagnose(applicant: Hashable, lst: object, post_index: dict) -> None:
    """Raise MatchingInputError for the first bad entry of one applicant's list."""
    if not isinstance(lst, Sequence) or isinstance(lst, str | bytes):
        raise MatchingInputError(
            f"applicant {applicant!r}: choices must be a list of (post, score) pairs, not {lst!r}",
            code="bad_choice",
            applicant=applicant,
            value=lst,
        )
    seen = set()
    for entry in lst:
        try:
            if not isinstance(entry, Sequence) or isinstance(entry, str | bytes):
                raise TypeError
            post, score = entry
        except (TypeError, ValueError):
            raise MatchingInputError(
                f"applicant {applicant!r}: {entry!r} is not a (post, score) pair",
                code="bad_choice",
                applicant=applicant,
                value=entry,
            ) from None
        k = _lookup(post_index, post)
        if k is None:
            raise MatchingInputError(
                f"applicant {applicant!r}: post {post!r} has no capacity entry",
                code="unknown_post",
                applicant=applicant,
                post=post,
            )
        if k in seen:
            raise MatchingInputError(
                f"applicant {applicant!r}: post {post!r} is listed twice",
                code="duplicate_post",
                applicant=applicant,
                post=post,
            )
        seen.add(k)
        if not _is_finite_number(score):
            raise MatchingInputError(
                f"applicant {applicant!r}, post {post!r}: score must be a finite number, "
                f"not {score!r}",
                code="bad_score",
                applicant=applicant,
                post=post,
                value=score,
            )
