"""Resident identity numbers (GB 11643-1999): validation, normalisation, masking.

18 characters: a 6-digit administrative code, the birth date YYYYMMDD, a 3-digit sequence
whose parity gives the sex (odd: male), and an ISO 7064 MOD 11-2 check character (0-9 or X).
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# First two digits of every province-level division in GB/T 2260.
PROVINCE_PREFIXES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)
_SHAPE = re.compile(r"^\d{17}[\dX]$")


@dataclass(frozen=True)
class IdNumber:
    value: str
    birth_date: datetime.date
    is_male: bool

    @property
    def region_code(self) -> str:
        return self.value[:6]

    @property
    def masked(self) -> str:
        return id_number_mask(self.value)


def check_char(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def id_number_normalize(raw: str) -> str:
    """Strip spaces and accept a lower-case x as the check character."""
    return "".join(str(raw or "").split()).upper()


def id_number_parse(raw: str, *, today: datetime.date | None = None) -> IdNumber:
    """Validate an ID number, or raise ValidationError saying exactly what is wrong."""
    value = id_number_normalize(raw)
    if len(value) != 18:
        raise ValidationError(
            _("An ID number has 18 characters; this one has %(count)d."),
            code="id_length",
            params={"count": len(value)},
        )
    if not _SHAPE.match(value):
        raise ValidationError(
            _("An ID number is 17 digits followed by a digit or X."), code="id_characters"
        )
    if value[:2] not in PROVINCE_PREFIXES:
        raise ValidationError(
            _("The first six digits are not a region code of China."), code="id_region"
        )
    try:
        birth_date = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise ValidationError(
            _("The birth date in this ID number (%(date)s) does not exist."),
            code="id_birth_date",
            params={"date": value[6:14]},
        ) from exc
    today = today or datetime.date.today()
    if birth_date > today or birth_date.year < 1900:
        raise ValidationError(
            _("The birth date in this ID number (%(date)s) is not possible."),
            code="id_birth_date",
            params={"date": value[6:14]},
        )
    if check_char(value[:17]) != value[17]:
        raise ValidationError(
            _("The last character (the check digit) does not match; please check the number."),
            code="id_check_digit",
        )
    return IdNumber(value=value, birth_date=birth_date, is_male=int(value[16]) % 2 == 1)


def id_number_mask(value: str) -> str:
    """440524********0014: region kept, birth date hidden, last four kept."""
    value = id_number_normalize(value)
    if len(value) != 18:
        return "*" * len(value)
    return f"{value[:6]}{'*' * 8}{value[14:]}"


def id_number_make(region_code: str, birth_date: datetime.date, sequence: int) -> str:
    """A valid number for tests and demo data. Sequences 900-999 mark them as synthetic."""
    first17 = f"{region_code}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
