"""Progress of a run, written by a heartbeat thread on its own connection (PostgreSQL)."""

from __future__ import annotations

import logging
import threading
import time

from django.db import connection
from django.utils import timezone

from ...choices import (
    MatchRunStatus,
)
from ...models import (
    MatchRun,
)
from .common import HEARTBEAT_SECONDS, P_LOADING

logger = logging.getLogger(__name__)


# --- progress --------------------------------------------------------------------------------


class ProgressReporter:
    """Writes a run's progress outside the main transaction.

    On PostgreSQL a heartbeat thread (its own connection) writes at least every
    HEARTBEAT_SECONDS, so progress keeps moving while the main thread is busy in the engine or
    inside the results transaction. On SQLite (tests) it writes inline, at most once a second.
    """

    def __init__(
        self, run_id: int, *, threaded: bool | None = None, status: str = MatchRunStatus.RUNNING
    ) -> None:
        self.run_id = run_id
        self.status = status
        self.percent = 0
        self.message = P_LOADING
        self.threaded = connection.vendor == "postgresql" if threaded is None else threaded
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._last_write = 0.0
        self.writes: list[float] = []
        self._thread = None
        if self.threaded:
            self._thread = threading.Thread(target=self._loop, name=f"match-run-{run_id}")
            self._thread.daemon = True
            self._thread.start()

    def report(self, percent: int, message: str | None = None) -> None:
        with self._lock:
            self.percent = max(0, min(99, int(percent)))
            if message:
                self.message = message
        if not self.threaded and time.monotonic() - self._last_write >= 1.0:
            self._write()

    def _write(self) -> None:
        with self._lock:
            percent, message = self.percent, self.message
        MatchRun.objects.filter(pk=self.run_id, status=self.status).update(
            progress=percent, progress_message=message, progress_at=timezone.now()
        )
        self._last_write = time.monotonic()
        self.writes.append(self._last_write)

    def _loop(self) -> None:
        try:
            while not self._stop.is_set():
                try:
                    self._write()
                except Exception:  # a heartbeat must never kill the run
                    logger.exception("match run %s: progress write failed", self.run_id)
                self._stop.wait(HEARTBEAT_SECONDS)
        finally:
            connection.close()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None
