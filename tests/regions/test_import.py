"""Importing regions: updates in place, moves, and every way a file can be rejected.

These use the small real data set (``load_small_regions()``, ~700 rows); the full file is
imported only in test_import_full.py.
"""

from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

import pytest

from regions.models import Region
from regions.services import RegionImportError, regions_import
from tests.factories import load_small_regions, region, small_regions_csv

pytestmark = pytest.mark.django_db

HEADER = "code,name,level,parent_code\n"
MEIXIAN = "441403"  # 梅县区, under 梅州 (under-served)
CHENGDONG = "441403101"  # 城东镇, a township of 梅县区


def _csv(*lines: str, header: str = HEADER) -> bytes:
    return (header + "".join(f"{line}\n" for line in lines)).encode()


def _snapshot() -> list[tuple]:
    return list(Region.objects.order_by("pk").values_list())


def _import_en(source: bytes):
    with translation.override("en"):
        return regions_import(source=source)


def _rejected(source: bytes) -> list[tuple[int, str]]:
    with translation.override("en"), pytest.raises(RegionImportError) as info:
        regions_import(source=source)
    return info.value.errors


# --- updates ---------------------------------------------------------------------------------


def test_renaming_a_region_in_a_second_file_updates_it_in_place():
    load_small_regions()
    meixian = region(MEIXIAN)
    count = Region.objects.count()

    result = _import_en(_csv(f"{MEIXIAN},梅县新区,county,441400"))

    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    renamed = region(MEIXIAN)
    assert renamed.pk == meixian.pk
    assert renamed.name == "梅县新区"
    assert (renamed.path, renamed.under_served) == (meixian.path, True)
    assert Region.objects.count() == count


def test_a_full_second_file_with_one_change_updates_only_that_row():
    load_small_regions()
    before = dict(Region.objects.values_list("code", "pk"))
    changed = small_regions_csv().decode().replace(f"{CHENGDONG},城东镇,", f"{CHENGDONG},城东新镇,")

    result = _import_en(changed.encode())

    assert (result.created, result.updated) == (0, 1)
    assert result.unchanged == len(before) - 1
    assert dict(Region.objects.values_list("code", "pk")) == before
    assert region(CHENGDONG).name == "城东新镇"


def test_moving_a_township_in_a_full_file_moves_its_villages_with_it():
    load_small_regions()
    township = region(CHENGDONG)
    villages = dict(township.children.values_list("code", "pk"))
    assert len(villages) > 5
    # 城东镇 passes from 梅县区 to 梅江区 (441402), same city.
    moved = (
        small_regions_csv()
        .decode()
        .replace(f"{CHENGDONG},城东镇,township,{MEIXIAN}", f"{CHENGDONG},城东镇,township,441402")
    )

    _import_en(moved.encode())

    township = region(CHENGDONG)
    assert township.parent.code == "441402"
    assert township.path == f"440000/441400/441402/{CHENGDONG}/"
    assert dict(township.children.values_list("code", "pk")) == villages
    for village in township.children.all():
        assert village.path == f"{township.path}{village.code}/"
    assert set(
        Region.objects.descendants_of(region("441402"), include_self=False)
        .filter(level="village")
        .values_list("code", flat=True)
    ) == set(villages)
    assert not Region.objects.descendants_of(region(MEIXIAN)).filter(code__in=villages).exists()


def test_moving_a_county_to_another_city_in_a_file_of_one_row_carries_everything_below():
    """The file names only the county; its townships and villages follow anyway, and
    they stop being under-served once their county belongs to a Pearl River Delta city."""
    load_small_regions()
    below = dict(
        Region.objects.descendants_of(region(MEIXIAN), include_self=False).values_list("code", "pk")
    )
    assert len(below) == 411

    result = _import_en(_csv(f"{MEIXIAN},梅县区,county,440100"))

    assert result.by_level["county"] == 1
    assert result.created == 0
    meixian = region(MEIXIAN)
    assert meixian.path == f"440000/440100/{MEIXIAN}/"
    assert not meixian.under_served
    moved = Region.objects.descendants_of(meixian, include_self=False)
    assert dict(moved.values_list("code", "pk")) == below
    assert not moved.filter(under_served=True).exists()
    assert set(
        Region.objects.descendants_of(region("440100")).values_list("code", flat=True)
    ) >= set(below)
    assert not Region.objects.descendants_of(region("441400")).filter(code__in=below).exists()
    for r in moved.select_related("parent"):
        assert r.path == f"{r.parent.path}{r.code}/"


def test_the_command_draws_progress_on_stderr_and_prints_the_summary(tmp_path):
    source = tmp_path / "small.csv"
    source.write_bytes(small_regions_csv())
    rows = small_regions_csv().count(b"\n") - 1
    out, err = StringIO(), StringIO()

    call_command("import_regions", str(source), stdout=out, stderr=err)

    assert out.getvalue().startswith(
        f"Regions: {rows} created, 0 updated, 0 unchanged (province 1, city 21,"
    )
    assert f"{rows}/{rows}" in err.getvalue()
    assert Region.objects.count() == rows


# --- rejected files ------------------------------------------------------------------------

# Every case: a file with good updates (a rename of 梅县区, a new village) plus one bad row.
GOOD = (f"{MEIXIAN},梅县新区,county,441400", f"{CHENGDONG}999,新村,village,{CHENGDONG}")

BAD_FILES = {
    "missing column": (
        _csv("441403,梅县新区,county", header="code,name,level\n"),
        1,
        "missing column(s): parent_code",
    ),
    "unknown level": (
        _csv(*GOOD, f"{CHENGDONG}998,某屯,hamlet,{CHENGDONG}"),
        4,
        "unknown level “hamlet”",
    ),
    "parent that does not exist": (
        _csv(*GOOD, f"{CHENGDONG}998,某村,village,441403777"),
        4,
        "parent 441403777 does not exist",
    ),
    "parent not above the row": (
        _csv(*GOOD, "441403777,某镇,township,441403102"),
        4,
        "parent 441403102 is not above a township",
    ),
    "duplicate code": (
        _csv(*GOOD, f"{MEIXIAN},梅县区,county,441400"),
        4,
        "duplicate code 441403 (first on line 2)",
    ),
    "wrong field count (too few)": (
        _csv(*GOOD, f"{CHENGDONG}998,某村,village"),
        4,
        "wrong number of fields",
    ),
    "wrong field count (too many)": (
        _csv(*GOOD, f"{CHENGDONG}998,某村,village,{CHENGDONG},extra"),
        4,
        "wrong number of fields",
    ),
    "code with a letter": (
        _csv(*GOOD, "44140A,某区,county,441400"),
        4,
        "“44140A” is not a valid county code",
    ),
    "code of the wrong length": (
        _csv(*GOOD, f"{CHENGDONG}1,某村,village,{CHENGDONG}"),
        4,
        f"“{CHENGDONG}1” is not a valid village code",
    ),
    "empty name": (_csv(*GOOD, f"{CHENGDONG}998,,village,{CHENGDONG}"), 4, "the name is empty"),
    "a second root": (
        _csv(*GOOD, "450000,广西壮族自治区,province,440000"),
        4,
        "only the province has no parent",
    ),
    "a parentless city": (_csv(*GOOD, "449900,某市,city,"), 4, "only the province has no parent"),
}


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_a_bad_row_rejects_the_whole_file_with_its_line_and_reason(case):
    load_small_regions()
    before = _snapshot()
    source, line, reason = BAD_FILES[case]

    errors = _rejected(source)

    assert errors == [(line, reason)]
    assert _snapshot() == before
    assert region(MEIXIAN).name == "梅县区"
    assert not Region.objects.filter(code=f"{CHENGDONG}999").exists()


def test_gbk_bytes_are_rejected_naming_the_line_and_the_encoding():
    load_small_regions()
    before = _snapshot()
    source = _csv(*GOOD) + f"{CHENGDONG}998,新围村,village,{CHENGDONG}\n".encode("gbk")

    errors = _rejected(source)

    assert len(errors) == 1
    line, reason = errors[0]
    assert line == 4
    assert "UTF-8" in reason
    assert _snapshot() == before


def test_every_bad_row_is_reported_not_only_the_first():
    load_small_regions()
    errors = _rejected(
        _csv(
            f"{CHENGDONG}998,某屯,hamlet,{CHENGDONG}",
            *GOOD,
            "44140A,某区,county,441400",
            f"{CHENGDONG}997,某村,village,441403777",
        )
    )
    # Rows failing the format checks are all listed; parents are checked once the rows parse.
    assert [line for line, _reason in errors] == [2, 5]

    errors = _rejected(
        _csv(
            f"{CHENGDONG}997,某村,village,441403777",
            *GOOD,
            f"{CHENGDONG}996,某村,village,441403778",
        )
    )
    assert errors == [
        (2, "parent 441403777 does not exist"),
        (5, "parent 441403778 does not exist"),
    ]


def test_a_utf8_bom_is_accepted():
    load_small_regions()
    _import_en(b"\xef\xbb\xbf" + _csv(f"{MEIXIAN},梅县新区,county,441400"))
    assert region(MEIXIAN).name == "梅县新区"


def test_the_command_names_file_and_line_and_changes_nothing(tmp_path):
    load_small_regions()
    before = _snapshot()
    source = tmp_path / "regions-2025.csv"
    source.write_bytes(_csv(*GOOD, f"{CHENGDONG}998,某屯,hamlet,{CHENGDONG}"))

    with translation.override("en"), pytest.raises(CommandError) as info:
        call_command(
            "import_regions", str(source), "--no-progress", stdout=StringIO(), stderr=StringIO()
        )

    message = str(info.value)
    assert "nothing was changed" in message
    assert f"{source}:4: unknown level “hamlet”" in message
    assert _snapshot() == before


def test_the_command_names_the_encoding_error_line(tmp_path):
    source = tmp_path / "regions-gbk.csv"
    source.write_bytes(HEADER.encode() + "440000,广东省,province,\n".encode("gbk"))
    with translation.override("en"), pytest.raises(CommandError) as info:
        call_command(
            "import_regions", str(source), "--no-progress", stdout=StringIO(), stderr=StringIO()
        )
    assert f"{source}:2: " in str(info.value)
    assert "UTF-8" in str(info.value)
    assert not Region.objects.exists()


def test_the_command_rejects_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_regions", str(tmp_path / "nope.csv"), "--no-progress")
