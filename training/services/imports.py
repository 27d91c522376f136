"""Importing cadre accounts from a CSV or XLSX file, with a dry run and a row-by-row report.

The file is read (`import_rows`), every row is checked (`cadre_import_validate`), and only a
file without a single error may be imported (`cadre_import_commit`, one transaction, the
invitations leaving after the commit). The commit validates the file again: it never trusts
an earlier dry run.

Columns, in any order, with Chinese or English headers: 姓名/name, 邮箱/email, 手机/phone,
单位/unit, 地区代码/region_code, 职务/position. Name, e-mail and region code are required.
CSV may be UTF-8 (with or without BOM) or GBK/GB18030, Excel's default for Chinese text.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import cadre_invite_batch
from core.uploads import MAX_UPLOAD_BYTES
from regions.choices import LEVEL_DEPTH, RegionLevel
from regions.models import Region

from .assignments import can_assign_in

MAX_FILE_BYTES = MAX_UPLOAD_BYTES
MAX_ROWS = 20_000
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format

COLUMNS = ("name", "email", "phone", "unit", "region_code", "position")
REQUIRED = ("name", "email", "region_code")
HEADER_ALIASES = {
    "姓名": "name",
    "name": "name",
    "full name": "name",
    "邮箱": "email",
    "电子邮箱": "email",
    "email": "email",
    "e-mail": "email",
    "手机": "phone",
    "手机号": "phone",
    "phone": "phone",
    "mobile": "phone",
    "单位": "unit",
    "unit": "unit",
    "地区代码": "region_code",
    "region_code": "region_code",
    "region code": "region_code",
    "职务": "position",
    "position": "position",
}
PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
MAX_LENGTHS = {"name": 64, "email": 254, "unit": 120, "position": 64}


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, format, header); nothing was written."""

    def __init__(self, message: str, *, line: int | None = None):
        self.message = message
        self.line = line
        super().__init__(message)


@dataclass(frozen=True)
class RowError:
    line: int
    column: str  # the header as written in the file ("邮箱", "email"), or "" for the whole row
    message: str


@dataclass
class CadreRow:
    line: int
    name: str
    email: str
    phone: str
    unit: str
    region_code: str
    position: str
    region: Region | None = None


@dataclass
class ImportReport:
    """The dry run of an import: the rows read and every error, by line. Other imports subclass it."""

    rows: list = field(default_factory=list)  # CadreRow here; PostRow, ScoreRow in the subclasses
    errors: list[RowError] = field(default_factory=list)
    encoding: str = ""  # "utf-8", "gb18030" or "xlsx"
    headers: dict[str, str] = field(default_factory=dict)  # column → header as written

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors

    @property
    def error_lines(self) -> int:
        return len({e.line for e in self.errors})


# --- reading the file -----------------------------------------------------------------------------


def _cell(value) -> str:
    """A cell as text: Excel stores 13812345678 or 441403001 as numbers, sometimes as 441403001.0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def decode_csv(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in: UTF-8 (BOM or not), else GB18030."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError as gbk_error:
            # The encoding that read further is most likely the one intended: name its bad line.
            position = max(utf8_error.start, gbk_error.start)
            line = data[:position].count(b"\n") + 1
            raise ImportFileError(
                _(
                    "The file cannot be read as UTF-8 or as GBK/GB18030 text: line %(line)d holds bytes "
                    "that are neither. In Excel, save it again as “CSV UTF-8” or as an Excel workbook (.xlsx)."
                )
                % {"line": line},
                line=line,
            ) from gbk_error


def _csv_rows(text: str) -> list[tuple[int, list[str]]]:
    # Excel writes commas, or semicolons in some locales; tab-separated text is pasted too.
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=lambda d: (first.count(d), d == ","))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for values in reader:
            rows.append((reader.line_num, [v.strip() for v in values]))
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error as exc:
        raise ImportFileError(
            _("Line %(line)d of the file is not valid CSV: %(reason)s")
            % {"line": reader.line_num, "reason": exc},
            line=reader.line_num,
        ) from exc
    return rows


def _xlsx_rows(data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise ImportFileError(
            _(
                "The Excel file cannot be opened. Save it again as an Excel workbook (.xlsx) or as CSV."
            )
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((number, [_cell(v) for v in values]))
            if len(rows) > MAX_ROWS + 1:
                break
    finally:
        workbook.close()
    return rows


def import_rows(data: bytes) -> tuple[list[tuple[int, list[str]]], str]:
    """(line number, cells) for every line of the file, and the format it was read as.

    The format is decided by content, not by the file name: an XLSX workbook is a zip archive.
    """
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(_("The file is larger than 5 MB. Split it into several files."))
    if data.startswith(XLSX_MAGIC):
        return _xlsx_rows(data), "xlsx"
    if data.startswith(OLE_MAGIC):
        raise ImportFileError(
            _(
                "This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) or as CSV and try again."
            )
        )
    text, encoding = decode_csv(data)
    if "\x00" in text:
        raise ImportFileError(_("This does not look like a CSV or XLSX file."))
    return _csv_rows(text), encoding


# --- checking the rows --------------------------------------------------------------------------


def _header_key(header: str) -> str:
    return " ".join(str(header).replace("\ufeff", "").replace("_", " ").split()).lower()


def header_map(cells: list[str], aliases: dict[str, str]) -> tuple[dict[str, int], dict[str, str]]:
    """column → index and column → header as written, for a header line named by `aliases`.

    Headers match whatever their case, spacing, underscores or BOM; the first of a column wins.
    """
    keys = {_header_key(k): v for k, v in aliases.items()}
    index: dict[str, int] = {}
    written: dict[str, str] = {}
    for i, header in enumerate(cells):
        column = keys.get(_header_key(header))
        if column and column not in index:
            index[column] = i
            written[column] = str(header).strip()
    return index, written


@dataclass
class ImportTable:
    """A file read for an import: its header mapped to columns, and the lines below it."""

    encoding: str
    header_line: int
    index: dict[str, int]  # column → position in a line
    written: dict[str, str]  # column → header as written in the file
    body: list[tuple[int, list[str]]]  # (line number, cells), blank lines left out

    def headers(self, columns) -> dict[str, str]:
        """column → header as written, or the column's own name where the file lacks it."""
        return {c: self.written.get(c, c) for c in columns}

    def value(self, cells: list[str], column: str) -> str:
        i = self.index.get(column)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    def check_body(self, *, empty_message: str, max_rows: int) -> None:
        """Raise ImportFileError when there is no line below the header, or too many."""
        if not self.body:
            raise ImportFileError(empty_message)
        if len(self.body) > max_rows:
            raise ImportFileError(
                _("The file has more than %(max)d rows. Split it into several files.")
                % {"max": max_rows}
            )


def import_table(data: bytes, *, aliases: dict[str, str]) -> ImportTable:
    """Read the file (`import_rows`), drop blank lines and map the first line's headers."""
    lines, encoding = import_rows(data)
    lines = [(n, cells) for n, cells in lines if any(cells)]
    if not lines:
        raise ImportFileError(_("The file is empty."))
    header_line, header = lines[0]
    index, written = header_map(header, aliases)
    return ImportTable(
        encoding=encoding, header_line=header_line, index=index, written=written, body=lines[1:]
    )


def normalise_phone(value: str) -> str:
    phone = "".join(value.split()).replace("-", "")
    return phone.removeprefix("+86")


def cadre_import_validate(*, by: User, data: bytes) -> ImportReport:
    """Read and check the whole file; write nothing. Raises ImportFileError if it cannot be read."""
    table = import_table(data, aliases=HEADER_ALIASES)
    missing = [c for c in REQUIRED if c not in table.index]
    if missing:
        expected = "、".join(
            f"{zh}/{en}"
            for zh, en in (("姓名", "name"), ("邮箱", "email"), ("地区代码", "region_code"))
        )
        raise ImportFileError(
            _(
                "Line %(line)d, the header, lacks these columns: %(missing)s. Required: %(expected)s."
            )
            % {"line": table.header_line, "missing": "、".join(missing), "expected": expected},
            line=table.header_line,
        )
    table.check_body(empty_message=_("The file has a header but no people."), max_rows=MAX_ROWS)
    report = ImportReport(encoding=table.encoding, headers=table.headers(COLUMNS))
    value = table.value
    rows = [
        CadreRow(
            line=n,
            name=value(cells, "name"),
            email=value(cells, "email").lower(),
            phone=value(cells, "phone"),
            unit=value(cells, "unit"),
            region_code=value(cells, "region_code"),
            position=value(cells, "position"),
        )
        for n, cells in table.body
    ]
    report.rows = rows
    report.errors = _check_rows(by=by, rows=rows, headers=report.headers)
    return report


def _check_rows(*, by: User, rows: list[CadreRow], headers: dict[str, str]) -> list[RowError]:
    errors: list[RowError] = []

    def error(row: CadreRow, column: str, message: str) -> None:
        errors.append(RowError(line=row.line, column=headers[column], message=message))

    emails = {r.email for r in rows if r.email}
    taken = set(
        User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .values_list("email_lower", flat=True)
    )
    codes = {r.region_code for r in rows if r.region_code}
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    in_scope = {code: can_assign_in(by, region) for code, region in regions.items()}
    first_line: dict[str, int] = {}

    for row in rows:
        for column in REQUIRED:
            if not getattr(row, column):
                error(row, column, _("This column is required."))
        for column, limit in MAX_LENGTHS.items():
            if len(getattr(row, column)) > limit:
                error(row, column, _("At most %(limit)d characters.") % {"limit": limit})
        if row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                error(
                    row,
                    "email",
                    _("“%(value)s” is not a valid e-mail address.") % {"value": row.email},
                )
            else:
                if row.email in first_line:
                    error(
                        row,
                        "email",
                        _("This e-mail address already appears on line %(line)d.")
                        % {"line": first_line[row.email]},
                    )
                else:
                    first_line[row.email] = row.line
                if row.email in taken:
                    error(row, "email", _("An account with this e-mail address already exists."))
        if row.phone:
            phone = normalise_phone(row.phone)
            if PHONE_RE.match(phone):
                row.phone = phone
            else:
                error(
                    row,
                    "phone",
                    _("“%(value)s” is not an 11-digit mainland mobile number (e.g. 13812345678).")
                    % {"value": row.phone},
                )
        if row.region_code:
            region = regions.get(row.region_code)
            if region is None:
                error(
                    row,
                    "region_code",
                    _("There is no region with the code %(code)s.") % {"code": row.region_code},
                )
            elif region.depth < LEVEL_DEPTH[RegionLevel.COUNTY]:
                error(
                    row,
                    "region_code",
                    _(
                        "%(name)s is a city or the province: give the county, township or village of the unit."
                    )
                    % {"name": region.name},
                )
            elif not in_scope[row.region_code]:
                error(row, "region_code", _("This region is outside your scope."))
            else:
                row.region = region
    errors.sort(key=lambda e: e.line)
    return errors


class ImportInvalid(Exception):
    """The file has errors: the report says which; nothing was written."""

    def __init__(self, report: ImportReport):
        self.report = report
        super().__init__(f"{len(report.errors)} error(s)")


def cadre_import_commit(*, by: User, data: bytes, base_url: str = "") -> list[User]:
    """Validate the file again and, if every row is valid, create all the accounts at once.

    All rows are written in one transaction (or none); each new cadre gets an invitation
    e-mail after the commit, exactly as with a single invitation.
    """
    report = cadre_import_validate(by=by, data=data)
    if not report.ok:
        raise ImportInvalid(report)
    people = [
        {
            "email": row.email,
            "full_name": row.name,
            "region": row.region,
            "phone": row.phone,
            "unit": row.unit,
            "position": row.position,
        }
        for row in report.rows
    ]
    return cadre_invite_batch(invited_by=by, people=people, base_url=base_url)
