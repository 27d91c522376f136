from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tqdm import tqdm

from regions.services import RegionImportError, regions_import


class Command(BaseCommand):
    help = "Import or update Guangdong's administrative divisions from a CSV (code,name,level,parent_code)."

    def add_arguments(self, parser):
        parser.add_argument("csv_path", type=Path)
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not draw a progress bar."
        )

    def handle(self, *args, csv_path: Path, no_progress: bool, **options):
        if not csv_path.is_file():
            raise CommandError(f"{csv_path}: no such file")
        raw = csv_path.read_bytes()
        total = max(raw.count(b"\n") - 1, 0)
        bar = tqdm(total=total, unit="rows", disable=no_progress, file=self.stderr._out)
        try:
            result = regions_import(source=raw, progress=bar.update)
        except RegionImportError as exc:
            bar.close()
            lines = [f"{csv_path}:{line}: {reason}" for line, reason in exc.errors[:50]]
            if len(exc.errors) > 50:
                lines.append(f"… and {len(exc.errors) - 50} more")
            raise CommandError(
                "The file was rejected and nothing was changed:\n" + "\n".join(lines)
            ) from exc
        bar.close()
        levels = ", ".join(f"{level} {count}" for level, count in result.by_level.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Regions: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged ({levels})."
            )
        )
