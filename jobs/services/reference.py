"""Load the national major catalogue and Guangdong's universities from ../shared/data."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from ..models import Major, University

MAJOR_FIELDS = ["code", "name", "class_code", "class_name", "category_code", "category_name"]
UNIVERSITY_FIELDS = ["city", "city_code", "moe_code", "authority", "level"]


@dataclass(frozen=True)
class ReferenceImportResult:
    majors: int
    universities: int


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


@transaction.atomic
def reference_data_import(*, data_dir: Path | None = None) -> ReferenceImportResult:
    """Create or update every major and university; idempotent, one transaction."""
    data_dir = Path(data_dir or settings.SHARED_DATA_DIR)
    majors = [
        Major(**{field: row[field] for field in MAJOR_FIELDS})
        for row in _rows(data_dir / "majors.csv")
    ]
    Major.objects.bulk_create(
        majors,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=[f for f in MAJOR_FIELDS if f != "code"],
    )
    universities = [
        University(
            name=row["name"],
            city=row["city"],
            city_code=row["city_code"],
            moe_code=row["moe_institution_code"],
            authority=row["authority"],
            level=row["level"],
        )
        for row in _rows(data_dir / "universities-guangdong.csv")
    ]
    University.objects.bulk_create(
        universities,
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=UNIVERSITY_FIELDS,
    )
    return ReferenceImportResult(majors=len(majors), universities=len(universities))
