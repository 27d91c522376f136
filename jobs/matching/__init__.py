"""Stable matching of applicants to posts with capacities (pure Python, no Django).

    from jobs.matching import stable_match

    result = stable_match(
        {"ann": [("p1", 91.5), ("p2", 88)], "bo": [("p1", 90)]},  # ranked, best first
        {"p1": 1, "p2": 1},                                        # capacities
        tiebreak=None,                                             # or {applicant: int}
        seed=0,
    )
    result.assignment   # {"ann": "p1", "bo": None}
    result.cutoffs      # {"p1": 91.5, "p2": None}

Algorithm
    Applicant-proposing deferred acceptance (Gale–Shapley 1962; with capacities, Roth 1984):
    every free applicant proposes to the best post on their list they have not yet proposed
    to; a post holds its best proposers up to its capacity and rejects the rest, including
    an applicant it held before if a better one arrives; rejected applicants propose again
    further down their list; it ends when nobody can propose. ``score`` is the post's
    priority for that applicant (HR scores plus policy bonuses; higher wins); equal scores
    are broken by the tie-break number (lower wins), so every post's priority order is
    strict. Each listed pair is proposed at most once: O(P log P) for P listed pairs (sorting
    the distinct scores; the proposals are O(P log c) for capacity c). About 1.5 s and 100 MB
    for 100,000 applicants with 10 choices each over 26,735 posts (docs/benchmarks.md, "Issue
    5 — stable_match"); ``int`` or ``float`` scores are fastest, fresh ``Decimal``s cost ~0.4 s
    more to hash.

Guarantees
    - *Stable*: no applicant and post would both rather be matched to each other — whenever
      an applicant is not at a post they rank above their own, that post is full of
      applicants with a higher priority (score, then tie-break) — and nobody is placed
      beyond capacity or at a post they did not list.
    - *Applicant-optimal*: among all stable matchings (for these priorities, tie-break
      included), every applicant gets their best post; and the outcome does not depend on
      the order in which proposals are processed.
    - *Strategy-proof for applicants*: no applicant can get a better post by ranking
      untruthfully, so ranking posts in one's true order of preference is safe (Dubins &
      Freedman 1981; Roth 1982). When lists are capped at a length, choosing *which* posts
      to list matters, but listing them in true order remains best (Haeringer & Klijn 2009).
    - ``cutoffs[post]`` is the lowest score this run admitted to a post with no place left:
      an applicant who ranked that post above their result had a lower score, or the same
      score and a higher tie-break number than ``last_admitted[post]``. ``None`` for a post
      with places left (anyone who listed it and ranked it higher got in), with capacity 0,
      or whose places are all held by ``fixed`` applicants (``vacancies`` tells them apart).

Later passes (``fixed``)
    ``stable_match(..., fixed={applicant: post})`` keeps every accepted placement: those
    applicants keep their posts, use up capacity and never propose, and nobody displaces
    them; the others are matched stably into the remaining places. Declined or expired
    offers re-open places simply by leaving those applicants out of ``fixed`` (and, if
    they declined, out of ``choices``). Pass the first pass's ``result.tiebreak`` as
    ``tiebreak=`` so that everyone keeps their lottery number (numbers of applicants no
    longer present are ignored; newcomers need numbers of their own): a new draw over a
    different set of applicants would number everyone afresh. An applicant in ``fixed``
    never moves, not even up to a re-opened post they ranked higher; to let them move, leave
    them in ``choices`` instead (they then compete again like everyone else).

Determinism
    The same input and seed give the same result on every machine and every run: nothing
    depends on ``hash()`` (which varies with ``PYTHONHASHSEED`` for str ids) or on the
    order in which proposals happen. With ``tiebreak=None`` a lottery is drawn: applicant
    ids are sorted if they can be (ints, strs, UUIDs, tuples of these) — so the order in
    which ``choices`` was built does not matter — else taken in the iteration order of
    ``choices``; then shuffled by Fisher–Yates driven by ``random.Random(seed).random()``
    (whose sequence Python promises to keep across versions, unlike ``random.shuffle``);
    the first gets number 1. ``result.tiebreak`` holds the numbers used: store it with the
    run and pass it back as ``tiebreak=`` to replay the run exactly. Two seeds can give
    different results only where scores tie.

Errors
    Bad content raises :class:`MatchingInputError`, a ``ValueError`` whose message names the
    offender and whose ``code``/``applicant``/``post``/``value`` attributes carry it:
    a list that is not a list or tuple of ``(post, score)`` pairs (``bad_choice``); a post
    with no capacity entry (``unknown_post``); a post twice in one list (``duplicate_post``);
    a score that is not a finite real number — NaN, ±inf, ``bool``, ``None``, a string
    (``bad_score``; ``int``, ``float``, ``Decimal`` and ``Fraction`` are accepted, and may
    be mixed); ``None`` as a post id (it means "not matched": ``bad_post``); a capacity
    that is not an ``int >= 0`` (``bad_capacity``); with a given
    ``tiebreak``, an applicant without a number (``missing_tiebreak``), a number that is
    not an ``int`` (``bad_tiebreak``), or two applicants with the same number
    (``duplicate_tiebreak``: ambiguous, so refused rather than guessed); a fixed post with
    no capacity entry (``bad_fixed``) or more fixed applicants than places
    (``fixed_over_capacity``); a seed that is not an ``int`` (``bad_seed``). Arguments that
    are not mappings raise ``TypeError``. Nothing is matched when an error is raised.
"""

from jobs.matching.engine import MatchingInputError, MatchResult, stable_match

__all__ = ["MatchResult", "MatchingInputError", "stable_match"]
