"""The Redis cache backend (core.cache.RedisCache) against the real Redis of `make test`."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from core.cache import RedisCache

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_cache():
    url = os.environ.get("CACHE_URL", "")
    if not url.startswith("redis://"):
        pytest.fail(
            "CACHE_URL is not a redis:// URL: run the suite with make test (scripts/test.sh)"
        )
    cache = RedisCache(url, {"KEY_PREFIX": "test-redis-cache"})
    cache.clear()
    yield cache
    cache.clear()


def test_it_reads_and_writes_like_djangos_backend(redis_cache):
    redis_cache.set("a", {"x": 1}, 30)
    redis_cache.set_many({"b": [1, 2], "c": "三"}, 30)
    assert redis_cache.get("a") == {"x": 1}
    assert redis_cache.get_many(["a", "b", "c", "missing"]) == {
        "a": {"x": 1},
        "b": [1, 2],
        "c": "三",
    }
    assert redis_cache.add("n", 1, 30) and not redis_cache.add("n", 5, 30)
    assert redis_cache.incr("n") == 2 and redis_cache.get("n") == 2
    redis_cache.delete("a")
    assert redis_cache.get("a") is None


def test_one_client_serves_every_call_and_every_thread(redis_cache):
    first = redis_cache._cache.get_client("k")
    assert redis_cache._cache.get_client("other") is first
    seen = []

    def read():
        redis_cache.set("shared", 7, 30)
        seen.append((redis_cache.get("shared"), redis_cache._cache.get_client("k")))

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [value for value, _client in seen] == [7] * 8
    assert all(client is first for _value, client in seen)


def test_the_settings_use_it_for_a_redis_cache_url():
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
    }
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env, cwd=REPO_ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert out.stdout.strip().splitlines()[-1] == "core.cache.RedisCache"
