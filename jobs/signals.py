"""Keep the jobs app's copies of region data in step with a regions import."""

from django.db import transaction
from django.db.models import F, OuterRef, Subquery

from regions.models import Region


def posts_follow_regions(sender, *, moved: bool, **kwargs) -> None:
    """A post keeps its village's path (`Post.region_path`) for the one-scan search; names appear
    in cached search results. Runs inside the import's transaction."""
    from .models import Post
    from .selectors.posts import jobs_public_cache_invalidate

    if moved:
        Post.objects.exclude(region_path=F("village__path")).update(
            region_path=Subquery(
                Region.objects.filter(pk=OuterRef("village_id")).values("path")[:1]
            )
        )
    transaction.on_commit(jobs_public_cache_invalidate)
