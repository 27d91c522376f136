"""Benchmark: import all 28,639 regions of Guangdong into SQLite and PostgreSQL.

For each database, in fresh subprocesses (so each process's peak memory is its own):

1. ``manage.py migrate`` (setup, not measured against the target);
2. ``manage.py import_regions <file> --no-progress`` into the empty database;
3. the same import again, which must change nothing (idempotency).

The import command is called through ``manage.py shell -c`` so that the import itself is
timed inside the process, apart from Django's start-up (also shown, with a bare
``django.setup()`` for comparison). Peak RSS and CPU time come from ``os.wait4``, i.e. that
one process. Targets: the import ≤ 10 s, the process's peak memory ≤ 300 MB.

Usage (from the repository root)::

    .venv/bin/python benchmarks/import_regions.py --start-postgres
    .venv/bin/python benchmarks/import_regions.py --postgres postgres://user@host:5432/db
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/import_regions.py

``--start-postgres`` runs a throwaway PostgreSQL cluster (Debian's /usr/lib/postgresql/*/bin,
as the ``postgres`` user when run as root) on a free loopback port, and stops and deletes it
at the end. A database given by URL should be empty of regions, or the first run is an update.
The script exits non-zero when a target is missed or a run fails.
"""

import argparse
import contextlib
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.support import machine, throwaway_postgres

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CSV = ROOT.parent / "shared" / "data" / "regions-guangdong.csv"
TARGET_SECONDS = 10.0
TARGET_MB = 300.0
SUMMARY = re.compile(r"Regions: (\d+) created, (\d+) updated, (\d+) unchanged")


@dataclass
class Run:
    database: str
    step: str
    process_seconds: float  # the whole `manage.py` process, start-up included
    cpu_seconds: float  # user + system CPU time of that process
    peak_mb: float
    import_seconds: float | None = None  # regions_import alone, timed inside the process
    summary: str = ""

    @property
    def target(self) -> str:
        ok = (self.import_seconds or 0) <= TARGET_SECONDS and self.peak_mb <= TARGET_MB
        return "yes" if ok else "**no**"


def run_measured(args: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """Run one process; return (wall s, CPU s, its peak RSS in MB, stdout). Exits on failure."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=err)
        # wait4 gives this child's own rusage; RUSAGE_CHILDREN would be the maximum over all
        # children so far, and Popen.wait() would reap the child and lose it.
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        out_text, err_text = out.read(), err.read()
    if proc.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({proc.returncode}):\n{out_text}\n{err_text}")
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024, out_text  # ru_maxrss is in KiB on Linux


def manage(*args: str) -> list[str]:
    return [sys.executable, str(ROOT / "manage.py"), *args]


def timed_import(csv_path: Path) -> list[str]:
    """`manage.py import_regions <file> --no-progress`, run through `manage.py shell` so the
    import itself is timed inside the process, apart from Django's start-up."""
    code = (
        "import time\n"
        "from django.core.management import call_command\n"
        "start = time.perf_counter()\n"
        f"call_command('import_regions', {str(csv_path)!r}, '--no-progress')\n"
        "print(f'import_seconds={time.perf_counter() - start:.3f}')\n"
    )
    return manage("shell", "--no-imports", "--no-startup", "-c", code)


def bench_database(name: str, database_url: str, csv_path: Path, settings: str) -> list[Run]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": settings,
        "DJANGO_DEBUG": "0",  # DEBUG would keep every SQL statement in memory
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    runs = []
    seconds, cpu, peak, _out = run_measured(manage("migrate", "--noinput", "-v", "0"), env)
    runs.append(Run(name, "migrate (setup)", seconds, cpu, peak))
    seconds, cpu, peak, _out = run_measured(
        [sys.executable, "-c", "import django; django.setup()"], env
    )
    runs.append(Run(name, "Django start-up alone", seconds, cpu, peak))
    for step in ("first import (empty database)", "second import (idempotent)"):
        seconds, cpu, peak, out = run_measured(timed_import(csv_path), env)
        summary, timing = SUMMARY.search(out), re.search(r"import_seconds=([\d.]+)", out)
        if not summary or not timing:
            sys.exit(f"no summary or timing in the output of import_regions:\n{out}")
        created, updated, unchanged = summary.groups()
        runs.append(
            Run(
                name,
                step,
                seconds,
                cpu,
                peak,
                float(timing[1]),
                f"{created} / {updated} / {unchanged}",
            )
        )
    return runs


# --- a throwaway PostgreSQL ----------------------------------------------------------------


def postgres_version(url: str) -> str:
    out = subprocess.run(
        ["psql", url, "-XAtc", "show server_version"], capture_output=True, text=True, check=False
    )
    return out.stdout.strip().split(" ")[0] if out.returncode == 0 else "?"


# --- report --------------------------------------------------------------------------------


def table(runs: list[Run]) -> str:
    lines = [
        "| database | step | import alone (s) | whole process (s) | process CPU (s) | peak RSS (MB) "
        "| created / updated / unchanged | ≤ 10 s and ≤ 300 MB |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for r in runs:
        is_import = r.import_seconds is not None
        lines.append(
            f"| {r.database} | {r.step} | {f'{r.import_seconds:.2f}' if is_import else '–'} "
            f"| {r.process_seconds:.2f} | {r.cpu_seconds:.2f} | {r.peak_mb:.0f} | {r.summary or '–'} "
            f"| {r.target if is_import else '–'} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--csv", type=Path, default=DEFAULT_CSV, help="regions file (default: %(default)s)"
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("DATABASE_URL", ""),
        help="PostgreSQL URL (default: $DATABASE_URL when it is a postgres:// URL)",
    )
    parser.add_argument(
        "--start-postgres",
        action="store_true",
        help="run a throwaway PostgreSQL cluster for the run",
    )
    parser.add_argument("--settings", default="config.settings.dev", help="Django settings module")
    args = parser.parse_args()
    if not args.csv.is_file():
        sys.exit(f"{args.csv}: no such file")
    postgres_url = (
        args.postgres if args.postgres.startswith(("postgres://", "postgresql://")) else ""
    )
    if not postgres_url and not args.start_postgres:
        sys.exit("give a PostgreSQL database: --postgres URL, DATABASE_URL, or --start-postgres")

    load_before = os.getloadavg()[0]
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="regions-bench-") as tmp:
        runs += bench_database("SQLite", f"sqlite:///{tmp}/bench.sqlite3", args.csv, args.settings)
    with contextlib.ExitStack() as stack:
        if args.start_postgres:
            postgres_url = stack.enter_context(throwaway_postgres())
        name = f"PostgreSQL {postgres_version(postgres_url)}"
        runs += bench_database(name, postgres_url, args.csv, args.settings)

    print(f"Regions import benchmark, {date.today().isoformat()}")
    print(f"Machine: {machine()}")
    load_after = os.getloadavg()[0]
    print(f"Load average (1 min) at start / end: {load_before:.2f} / {load_after:.2f}")
    print(f"File: {args.csv} ({args.csv.stat().st_size / 1e6:.1f} MB)\n")
    print(table(runs))
    imports = [r for r in runs if r.import_seconds is not None]
    failed = [r for r in imports if r.target != "yes"]
    rows = args.csv.read_bytes().count(b"\n") - 1
    if any(r.step.startswith("first") and r.summary != f"{rows} / 0 / 0" for r in imports):
        print("\nwarning: a first import was not into an empty database", file=sys.stderr)
    if any(r.step.startswith("second") and r.summary != f"0 / 0 / {rows}" for r in imports):
        print("\nthe second import changed something: it is not idempotent", file=sys.stderr)
        return 1
    if failed:
        print(
            f"\ntarget missed: {', '.join(f'{r.database} {r.step}' for r in failed)}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
