import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Pages are cached by path (training/lesson_page.py, cms/middleware.py); tests reuse paths."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
