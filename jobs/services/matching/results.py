"""Storing a run's results, cut-offs and statistics in one transaction.

On PostgreSQL the rows go in through ``COPY … FROM STDIN`` (psycopg 3), elsewhere through
``bulk_create``. Each result's explanation is compact — one list per ranked choice:

    [post id, rank, score in thousandths | null, cut-off in thousandths | null, flags]

with flags 1 = the post was full, 2 = the choice was eligible, 4 = matched there
(`jobs.selectors.matching.explanation_entries` reads it, and the older list of dicts too).
"""

from __future__ import annotations

import json
import time

from django.db import connection, transaction
from django.utils import timezone

from ...choices import MatchRunStatus
from ...models import MatchResult, MatchRun, PostCutoff
from .common import P_DONE, P_STORING, RESULT_BATCH, _unlock
from .participants import RunOutcome
from .progress import ProgressReporter
from .scoring import milli_decimal

FULL, ELIGIBLE, MATCHED = 1, 2, 4
NULL = "\\N"


def explanation_rows(outcome: RunOutcome):
    """(application id, post id | None, matched rank | None, lottery | None, explanation JSON)
    for every application of the run, in the compact format."""
    cutoffs = outcome.cutoffs
    vacancies = outcome.vacancies
    dumps = json.JSONEncoder(separators=(",", ":")).encode
    for uid, person in outcome.people.items():
        got = outcome.assignment.get(uid)
        explanation = []
        got_entry = None
        for entry in person.entries:
            post_id, rank, score, _app = entry
            flags = (FULL if vacancies.get(post_id, 0) == 0 else 0) | (
                ELIGIBLE if score is not None else 0
            )
            if post_id == got:
                flags |= MATCHED
                got_entry = entry
            explanation.append([post_id, rank, score, cutoffs.get(post_id), flags])
        text = dumps(explanation)
        lottery = outcome.tiebreak.get(uid)
        for app_id in person.applications:
            if got_entry is not None and got_entry[3] == app_id:
                yield app_id, got, got_entry[1], lottery, text
            else:
                yield app_id, None, None, lottery, text


def _copy(table: str, columns: str, lines, reporter, total: int, start: int, span: int) -> None:
    """COPY text lines into `table` (PostgreSQL), reporting progress as it goes."""
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            buffer: list[str] = []
            done = 0
            for line in lines:
                buffer.append(line)
                if len(buffer) >= RESULT_BATCH * 5:
                    copy.write("".join(buffer))
                    done += len(buffer)
                    buffer = []
                    reporter.report(start + span * done // max(1, total), P_STORING)
            if buffer:
                copy.write("".join(buffer))


def _n(value) -> str:
    return NULL if value is None else str(value)


def _write_results(run: MatchRun, outcome: RunOutcome, reporter: ProgressReporter) -> None:
    total = len(outcome.application_person)
    rows = explanation_rows(outcome)
    if connection.vendor == "postgresql":
        run_id = run.pk
        _copy(
            MatchResult._meta.db_table,
            "run_id, application_id, post_id, matched_rank, lottery, explanation",
            (
                f"{run_id}\t{app}\t{_n(post)}\t{_n(rank)}\t{_n(lottery)}\t{text}\n"
                for app, post, rank, lottery, text in rows
            ),
            reporter,
            total,
            60,
            30,
        )
        _copy(
            PostCutoff._meta.db_table,
            "run_id, post_id, cutoff, filled",
            (
                f"{run_id}\t{pid}\t{_n(milli_decimal(outcome.cutoffs.get(pid)))}\t"
                f"{cap - outcome.vacancies.get(pid, cap)}\n"
                for pid, cap in outcome.capacities.items()
            ),
            reporter,
            len(outcome.capacities),
            90,
            8,
        )
        return
    batch: list[MatchResult] = []
    done = 0
    for app, post, rank, lottery, text in rows:
        batch.append(
            MatchResult(
                run=run,
                application_id=app,
                post_id=post,
                matched_rank=rank,
                lottery=lottery,
                explanation=json.loads(text),
            )
        )
        if len(batch) >= RESULT_BATCH:
            MatchResult.objects.bulk_create(batch)
            done += len(batch)
            batch = []
            reporter.report(60 + 30 * done // max(1, total), P_STORING)
    if batch:
        MatchResult.objects.bulk_create(batch)
    PostCutoff.objects.bulk_create(
        [
            PostCutoff(
                run=run,
                post_id=pid,
                cutoff=milli_decimal(outcome.cutoffs.get(pid)),
                filled=cap - outcome.vacancies.get(pid, cap),
            )
            for pid, cap in outcome.capacities.items()
        ],
        batch_size=RESULT_BATCH,
    )


def _store(run: MatchRun, outcome: RunOutcome, reporter: ProgressReporter) -> bool:
    """Write every result, cut-off and the statistics in one transaction; False if the run was
    stopped (marked failed) meanwhile, in which case nothing is written."""
    t = time.monotonic()
    with transaction.atomic():
        MatchResult.objects.filter(run=run).delete()
        PostCutoff.objects.filter(run=run).delete()
        _write_results(run, outcome, reporter)
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
