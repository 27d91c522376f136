"""Fixtures of the heartbeat and early-path tests."""

from django.utils import timezone

import pytest

from tests.training.builders import EARLY_MIDDLEWARE, HEARTBEAT_T0


@pytest.fixture
def clock(monkeypatch):
    """The server's clock, moved by the test (`clock["value"] = ...`)."""
    now = {"value": HEARTBEAT_T0}
    monkeypatch.setattr(timezone, "now", lambda: now["value"])
    return now


@pytest.fixture(params=["short path", "endpoint alone"])
def path(request, settings):
    """Each case twice: through the early middleware, and through the API endpoint alone."""
    if request.param == "endpoint alone":
        settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != EARLY_MIDDLEWARE]
    return request.param
