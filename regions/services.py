"""Loading Guangdong's administrative divisions from the NBS-derived CSV."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from .choices import LEVEL_DEPTH, UNDER_SERVED_CITY_CODES, RegionLevel
from .models import PATH_SEPARATOR, Region
from .signals import regions_changed

REQUIRED_COLUMNS = ("code", "name", "level", "parent_code")
CODE_LENGTHS = {0: 6, 1: 6, 2: 6, 3: 9, 4: 12}
BATCH_SIZE = 2000


class RegionImportError(Exception):
    """The file was rejected; `errors` lists (line number, reason) and nothing was written."""

    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = errors
        super().__init__("\n".join(f"line {line}: {reason}" for line, reason in errors[:20]))


@dataclass
class RegionImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    by_level: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Row:
    line: int
    code: str
    name: str
    level: str
    parent_code: str


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RegionImportError(
            [(line, _("the file is not UTF-8 encoded (save it as UTF-8 and try again)"))]
        ) from exc


def _parse(text: str) -> list[_Row]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise RegionImportError(
            [(1, _("missing column(s): %(columns)s") % {"columns": ", ".join(missing)})]
        )
    errors: list[tuple[int, str]] = []
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if None in record or any(v is None for v in record.values()):
            errors.append((line, _("wrong number of fields")))
            continue
        code, name, level = record["code"].strip(), record["name"].strip(), record["level"].strip()
        parent_code = record["parent_code"].strip()
        if level not in LEVEL_DEPTH:
            errors.append((line, _("unknown level “%(level)s”") % {"level": level}))
            continue
        if not code.isdigit() or len(code) != CODE_LENGTHS[LEVEL_DEPTH[level]]:
            errors.append(
                (
                    line,
                    _("“%(code)s” is not a valid %(level)s code") % {"code": code, "level": level},
                )
            )
            continue
        if not name:
            errors.append((line, _("the name is empty")))
            continue
        if code in seen:
            errors.append(
                (
                    line,
                    _("duplicate code %(code)s (first on line %(first)s)")
                    % {"code": code, "first": seen[code]},
                )
            )
            continue
        if (level == RegionLevel.PROVINCE) != (parent_code == ""):
            errors.append((line, _("only the province has no parent")))
            continue
        seen[code] = line
        rows.append(_Row(line, code, name, level, parent_code))
    if errors:
        raise RegionImportError(errors)
    return rows


def _compute_paths(
    rows: list[_Row], existing: dict[str, tuple]
) -> dict[str, tuple[str, int, bool]]:
    """code -> (path, depth, under_served), checking that every parent exists one level up."""
    by_code = {row.code: row for row in rows}
    computed: dict[str, tuple[str, int, bool]] = {}
    errors: list[tuple[int, str]] = []
    for row in sorted(rows, key=lambda r: LEVEL_DEPTH[r.level]):
        depth = LEVEL_DEPTH[row.level]
        if not row.parent_code:
            computed[row.code] = (row.code + PATH_SEPARATOR, 0, False)
            continue
        if row.parent_code in computed:
            parent_path, parent_depth, parent_under = computed[row.parent_code]
        elif row.parent_code in existing and row.parent_code not in by_code:
            _pk, _name, _parent, parent_path, parent_depth, parent_under = existing[row.parent_code]
        else:
            errors.append(
                (row.line, _("parent %(parent)s does not exist") % {"parent": row.parent_code})
            )
            continue
        if parent_depth >= depth:
            errors.append(
                (
                    row.line,
                    _("parent %(parent)s is not above a %(level)s")
                    % {"parent": row.parent_code, "level": row.level},
                )
            )
            continue
        under = parent_under or (depth == 1 and row.code in UNDER_SERVED_CITY_CODES)
        computed[row.code] = (parent_path + row.code + PATH_SEPARATOR, depth, under)
    if errors:
        raise RegionImportError(sorted(errors))
    return computed


def regions_import(
    *, source: Path | bytes, progress: Callable[[int], None] | None = None
) -> RegionImportResult:
    """Create or update every region in the file, in one transaction.

    Re-running with the same file changes nothing; a changed name or parent is updated in
    place, keeping the region's id. Any bad row rejects the whole file.
    """
    raw = source if isinstance(source, bytes) else Path(source).read_bytes()
    rows = _parse(_decode(raw))
    result = RegionImportResult()
    with transaction.atomic():
        existing = {
            code: (pk, name, parent, path, depth, under)
            for pk, code, name, parent, path, depth, under in Region.objects.values_list(
                "pk", "code", "name", "parent__code", "path", "depth", "under_served"
            ).iterator(chunk_size=5000)
        }
        computed = _compute_paths(rows, existing)
        # A region that moves takes everything below it along, even rows not in this file.
        moved = tuple(
            existing[code][3]
            for code, (path, _d, _u) in computed.items()
            if code in existing and existing[code][3] != path
        )
        if moved:
            rows = rows + [
                _Row(0, code, old[1], RegionLevel.values[old[4]], old[2] or "")
                for code, old in existing.items()
                if code not in computed and old[3].startswith(moved)
            ]
            computed = _compute_paths(rows, existing)
        ids = {code: values[0] for code, values in existing.items()}
        for depth in range(5):
            level_rows = [r for r in rows if computed[r.code][1] == depth]
            to_create: list[Region] = []
            to_update: list[Region] = []
            for row in level_rows:
                path, _depth, under = computed[row.code]
                parent_id = ids.get(row.parent_code) if row.parent_code else None
                old = existing.get(row.code)
                region = Region(
                    code=row.code,
                    name=row.name,
                    level=row.level,
                    parent_id=parent_id,
                    path=path,
                    depth=depth,
                    under_served=under,
                )
                if old is None:
                    to_create.append(region)
                elif (old[1], old[2] or "", old[3], old[5]) != (
                    row.name,
                    row.parent_code,
                    path,
                    under,
                ):
                    region.pk = old[0]
                    to_update.append(region)
                else:
                    result.unchanged += 1
            for start in range(0, len(to_create), BATCH_SIZE):
                batch = Region.objects.bulk_create(to_create[start : start + BATCH_SIZE])
                if progress:
                    progress(len(batch))
            if to_create and to_create[0].pk is None:
                ids.update(
                    Region.objects.filter(depth=depth)
                    .values_list("code", "pk")
                    .iterator(chunk_size=5000)
                )
            else:
                ids.update({r.code: r.pk for r in to_create})
            Region.objects.bulk_update(
                to_update,
                ["name", "level", "parent", "path", "depth", "under_served"],
                batch_size=BATCH_SIZE,
            )
            in_file = sum(1 for r in level_rows if r.line)  # line 0: moved along with a parent
            if progress and (to_update or level_rows):
                progress(in_file - len(to_create))
            result.created += len(to_create)
            result.updated += len(to_update)
            result.by_level[RegionLevel.values[depth]] = in_file
        if result.created or result.updated:
            # Inside the transaction: what copies region data (a post's region path) moves
            # with it; what caches it is dropped once the change is committed.
            regions_changed.send(sender=Region, moved=bool(moved))
    return result
