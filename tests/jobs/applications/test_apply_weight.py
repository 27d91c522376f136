"""The application form of a whole county's round (梅县区: a post at each of its 391 villages)
stays light for a phone on a weak connection, at a fixed number of queries."""

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from jobs.models import Major, Post

# What a phone on a weak connection should have to download for the form (HTML only).
MAX_BYTES = 60_000


def _county_round(round_, villages):
    majors = list(Major.objects.filter(class_code__in=["0809", "1204"])[:20])
    posts = []
    for i, village in enumerate(villages):
        post = Post(round=round_, village=village, region_path=village.path)
        post.max_age_by_level = {"junior_college": 35, "bachelor": 35, "master": 38}
        post.hometown_restriction = ["none", "same_county", "same_city"][i % 3]
        post.dialects = ["hakka"] if i % 4 == 0 else (["teochew"] if i % 7 == 0 else [])
        post.min_education = "master" if i % 11 == 0 else "junior_college"
        posts.append(post)
    Post.objects.bulk_create(posts)
    through = Post.majors.through
    through.objects.bulk_create(
        through(post_id=post.pk, major_id=major.pk)
        for i, post in enumerate(posts)
        if i % 6 == 0
        for major in majors
    )
    return posts


def test_county_round_form_is_light(client, graduate, round_, meixian_villages):
    posts = _county_round(round_, meixian_villages)
    assert len(posts) == 391
    client.force_login(graduate)
    with translation.override("en"):
        url = reverse("jobs:apply", args=[round_.pk])
    client.get(url)
    timings = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            page = client.get(url)
            timings.append(time.perf_counter() - start)
    elapsed = min(timings)
    size = len(page.content)
    print(f"\napply form: {size} bytes, {len(queries)} queries, {elapsed * 1000:.0f} ms")
    assert page.status_code == 200
    assert size <= MAX_BYTES
    assert len(queries) <= 12
    # The reasons of the ineligible posts, on their own pages, too.
    ineligible = client.get(url, {"show": "ineligible"})
    assert "This post requires" in ineligible.content.decode()
    assert len(ineligible.content) <= MAX_BYTES
