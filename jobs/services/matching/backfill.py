"""Backfill (递补): what a pass keeps and what it may still fill."""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext as _

from ...choices import (
    PLACEMENT_ACTIVE,
    OfferStatus,
)
from ...models import (
    MatchResult,
    MatchRun,
    Offer,
    Post,
)
from .common import MatchRunError


def _check_backfill_capacity(run: MatchRun, round_ids) -> None:
    """Refuse a backfill whose places were taken since it ran (an offer made meanwhile)."""
    taken: Counter = Counter()
    for post_id, status, placement_status in Offer.objects.filter(
        post__round__in=round_ids, status__in=[OfferStatus.PENDING, OfferStatus.ACCEPTED]
    ).values_list("post_id", "status", "placement__status"):
        if status == OfferStatus.ACCEPTED and placement_status not in (None, *PLACEMENT_ACTIVE):
            continue
        taken[post_id] += 1
    new = Counter(
        MatchResult.objects.filter(run=run, post__isnull=False).values_list("post_id", flat=True)
    )
    heads = dict(Post.objects.filter(pk__in=new).values_list("pk", "headcount"))
    for post_id, count in new.items():
        if taken[post_id] + count > heads[post_id]:
            raise MatchRunError(
                _("Places of this backfill were taken since it ran; start a new backfill pass."),
                code="outdated",
            )


def backfill_seats_held(round_ids) -> tuple[Counter, set[int]]:
    """Seats a backfill keeps, by post, and the people holding them.

    Pending offers and accepted ones whose placement still holds the seat count; everyone
    holding a pending or accepted offer in these rounds is out of the pass.
    """
    held: Counter = Counter()
    holders: set[int] = set()
    for post_id, status, user_id, placement_status in Offer.objects.filter(
        post__round__in=round_ids, status__in=[OfferStatus.PENDING, OfferStatus.ACCEPTED]
    ).values_list("post_id", "status", "application__applicant_id", "placement__status"):
        holders.add(user_id)
        if status == OfferStatus.ACCEPTED and placement_status not in (None, *PLACEMENT_ACTIVE):
            continue  # the placement ended: its seat is free again
        held[post_id] += 1
    return held, holders
