"""Storing a run's results, cut-offs and statistics in one transaction."""

from __future__ import annotations

import time

from django.db import transaction
from django.utils import timezone

from ...choices import (
    MatchRunStatus,
)
from ...models import (
    MatchResult,
    MatchRun,
    PostCutoff,
)
from .common import P_DONE, P_STORING, RESULT_BATCH, _unlock
from .participants import RunOutcome
from .progress import ProgressReporter


def _store(run: MatchRun, outcome: RunOutcome, reporter: ProgressReporter) -> bool:
    """Write every result, cut-off and the statistics in one transaction; False if the run was
    stopped (marked failed) meanwhile, in which case nothing is written."""
    cutoffs = outcome.cutoffs
    full = {pid: outcome.vacancies.get(pid, 0) == 0 for pid in outcome.capacities}
    t = time.monotonic()
    with transaction.atomic():
        MatchResult.objects.filter(run=run).delete()
        PostCutoff.objects.filter(run=run).delete()
        batch: list[MatchResult] = []
        total = max(1, len(outcome.application_person))
        done = 0
        for uid, person in outcome.people.items():
            got = outcome.assignment.get(uid)
            explanation = [
                {
                    "post": post_id,
                    "rank": rank,
                    "score": None if score is None else str(score),
                    "cutoff": None if cutoffs.get(post_id) is None else str(cutoffs[post_id]),
                    "full": full.get(post_id, True),
                    "eligible": score is not None,
                    "matched": post_id == got,
                }
                for post_id, rank, score, _app in person.entries
            ]
            got_entry = next((e for e in person.entries if e[0] == got), None)
            lottery = outcome.tiebreak.get(uid)
            for app_id in person.applications:
                mine = got_entry is not None and got_entry[3] == app_id
                batch.append(
                    MatchResult(
                        run=run,
                        application_id=app_id,
                        post_id=got if mine else None,
                        matched_rank=got_entry[1] if mine else None,
                        lottery=lottery,
                        explanation=explanation,
                    )
                )
            if len(batch) >= RESULT_BATCH:
                MatchResult.objects.bulk_create(batch)
                done += len(batch)
                batch = []
                reporter.report(60 + 35 * done // total, P_STORING)
        if batch:
            MatchResult.objects.bulk_create(batch)
        cutoff_rows = [
            PostCutoff(
                run=run,
                post_id=pid,
                cutoff=cutoffs.get(pid),
                filled=cap - outcome.vacancies.get(pid, cap),
            )
            for pid, cap in outcome.capacities.items()
        ]
        PostCutoff.objects.bulk_create(cutoff_rows, batch_size=RESULT_BATCH)
        reporter.report(98, P_STORING)
        reporter.stop()
        statistics = outcome.statistics
        statistics["timings"]["store"] = round(time.monotonic() - t, 3)
        now = timezone.now()
        updated = MatchRun.objects.filter(pk=run.pk, status=MatchRunStatus.RUNNING).update(
            status=MatchRunStatus.SUCCEEDED,
            input_hash=outcome.input_hash,
            statistics=statistics,
            progress=100,
            progress_message=P_DONE,
            progress_at=now,
            finished_at=now,
            error="",
        )
        if not updated:
            transaction.set_rollback(True)
            return False
        _unlock(run)
    return True
