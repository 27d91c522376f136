"""Synthetic people for the jobs demo: names, ID numbers, profiles (shared by the demo and the scale)."""

import datetime

from django.conf import settings
from django.utils import timezone

from ..choices import ConsentKind
from ..crypto import personal_encrypt, personal_hash
from ..idnumber import id_number_make, id_number_mask
from ..models import ConsentRecord, GraduateProfile
from .content import GIVEN_NAMES, SURNAMES

# ID-number sequences 900-999 mark synthetic numbers (jobs.idnumber.id_number_make). The scale
# data set uses 900-989; the small demo uses 990-999, so the two never collide.
SCALE_SEQUENCES = range(900, 990)
DEMO_SEQUENCES = range(990, 1000)


def person_name(number: int) -> str:
    """A realistic Chinese name, the same for the same number."""
    surname = SURNAMES[number % len(SURNAMES)]
    return surname + GIVEN_NAMES[(number // len(SURNAMES)) % len(GIVEN_NAMES)]


def id_number_fields(region_code: str, birth_date: datetime.date, sequence: int) -> dict:
    """The GraduateProfile fields that come from an ID number: encrypted, hashed, masked, derived."""
    value = id_number_make(region_code, birth_date, sequence)
    return {
        "id_number_encrypted": personal_encrypt(value),
        "id_number_hash": personal_hash(value),
        "id_number_masked": id_number_mask(value),
        "gender": "male" if sequence % 2 else "female",
        "birth_date": birth_date,
    }


def profile_upsert(*, user, id_region_code: str, birth_date, sequence: int, **fields):
    """The user's profile, created with a synthetic ID number, or left as it is if it exists."""
    profile = GraduateProfile.objects.filter(user=user).first()
    if profile is None:
        profile = GraduateProfile.objects.create(
            user=user, **id_number_fields(id_region_code, birth_date, sequence), **fields
        )
    return profile


def consents_give(*, user, when: datetime.datetime | None = None) -> None:
    """The privacy notice and the separate consent to the ID number, in their current versions."""
    when = when or timezone.now()
    for kind, version in (
        (ConsentKind.PRIVACY_NOTICE, settings.PRIVACY_NOTICE_VERSION),
        (ConsentKind.SENSITIVE_ID_NUMBER, settings.SENSITIVE_CONSENT_VERSION),
    ):
        ConsentRecord.objects.get_or_create(
            user=user, kind=kind, text_version=version, defaults={"given_at": when}
        )
