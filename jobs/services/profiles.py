"""The graduate profile: typed once, validated here, reused by every application.

The web form and the API both call `graduate_profile_save`; every rule lives here so that
both give the same answer. Errors are raised as one ValidationError keyed by field name.

ID number changes: the number may be corrected freely until the graduate has applied to a
round (any application, even withdrawn: HR may already have reviewed it). After that it is
fixed; a wrong number must be corrected by HR on request, never silently.
"""

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.audit import audit_record, client_ip
from accounts.choices import AuditAction
from regions.choices import RegionLevel
from regions.models import Region

from ..choices import ConsentKind, Dialect, EducationLevel, Gender, PoliticalStatus
from ..crypto import personal_encrypt, personal_hash
from ..idnumber import id_number_parse
from ..models import Application, ConsentRecord, GraduateProfile, Major, University

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
_PHONE_NOISE = re.compile(r"[\s\-–—()（）.]")
REAL_NAME_MAX = 32
UNIVERSITY_OTHER_MAX = 64
EARLIEST_GRADUATION_YEAR = 1980

DUPLICATE_ID_MESSAGE = _(
    "A profile with this ID number already exists. If it is yours, sign in with the account "
    "that holds it, or ask the HR office of your county for help."
)
ID_LOCKED_MESSAGE = _(
    "You have already applied with this ID number, so it can no longer be changed here. "
    "If it is wrong, ask the HR office of the round you applied to."
)


def phone_normalize(raw: str | None) -> str:
    """Drop spaces, dashes and brackets, and the +86 / 0086 / 86 country prefix."""
    value = _PHONE_NOISE.sub("", str(raw or ""))
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    elif value.startswith("86") and len(value) == 13:
        value = value[2:]
    return value


def phone_clean(raw: str | None) -> str:
    value = phone_normalize(raw)
    if not value:
        raise ValidationError(_("Enter your mobile number."), code="required")
    if not PHONE_RE.match(value):
        raise ValidationError(
            _("A mobile number has 11 digits and starts with 13 to 19, e.g. 138 0013 8000."),
            code="phone_invalid",
        )
    return value


def profile_consents_needed(*, user) -> dict[str, bool]:
    """Which consents the user must (still) give for the current text versions."""
    current = {
        ConsentKind.PRIVACY_NOTICE: settings.PRIVACY_NOTICE_VERSION,
        ConsentKind.SENSITIVE_ID_NUMBER: settings.SENSITIVE_CONSENT_VERSION,
    }
    given = set()
    if user is not None and user.pk:
        given = set(
            ConsentRecord.objects.filter(user=user, withdrawn_at__isnull=True).values_list(
                "kind", "text_version"
            )
        )
    return {kind: (kind, version) not in given for kind, version in current.items()}


def _region(value: Any) -> Region | None:
    if value is None or value == "":
        return None
    if isinstance(value, Region):
        return value
    return Region.objects.filter(code=str(value).strip()).first()


def _university(value: Any) -> University | None | bool:
    """A University, None for none chosen, or False for an unknown id."""
    if value in (None, "", 0, "0"):
        return None
    if isinstance(value, University):
        return value
    try:
        return University.objects.filter(pk=int(value)).first() or False
    except (TypeError, ValueError):
        return False


def _major(value: Any) -> Major | None | bool:
    if value in (None, ""):
        return None
    if isinstance(value, Major):
        return value
    return Major.objects.filter(code=str(value).strip()).first() or False


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "on", "yes"}
    return bool(value)


def _clean(*, user, profile: GraduateProfile | None, data: dict, errors: dict) -> dict:
    """Turn raw input into model values, collecting an error per field."""
    out: dict[str, Any] = {}

    def fail(field: str, message) -> None:
        errors.setdefault(field, []).append(message)

    real_name = " ".join(str(data.get("real_name") or "").split())
    if not real_name:
        fail("real_name", _("Enter your name as on your ID card."))
    elif len(real_name) > REAL_NAME_MAX:
        fail("real_name", _("A name may have at most 32 characters."))
    out["real_name"] = real_name

    raw_id = str(data.get("id_number") or "").strip()
    out["id_number"] = None
    if raw_id:
        try:
            out["id_number"] = id_number_parse(raw_id)
        except ValidationError as exc:
            for message in exc.messages:
                fail("id_number", message)
    elif profile is None:
        fail("id_number", _("Enter your resident ID number."))

    try:
        out["phone"] = phone_clean(data.get("phone"))
    except ValidationError as exc:
        fail("phone", exc.messages[0])

    hometown = _region(data.get("hometown"))
    if hometown is None:
        if data.get("hometown"):
            fail("hometown", _("There is no region with this code."))
        else:
            fail("hometown", _("Choose the village or community of your registered hometown."))
    elif hometown.level != RegionLevel.VILLAGE:
        fail(
            "hometown",
            _("Choose your hometown down to the village or community, not only %(name)s.")
            % {"name": hometown.name},
        )
    out["hometown"] = hometown

    university = _university(data.get("university"))
    university_other = " ".join(str(data.get("university_other") or "").split())
    if university is False:
        fail("university", _("Choose a university from the list, or type its name."))
        university = None
    if university is not None:
        university_other = ""
    elif not university_other:
        fail("university", _("Choose your university from the list, or type its name."))
    elif len(university_other) > UNIVERSITY_OTHER_MAX:
        fail("university_other", _("A university name may have at most 64 characters."))
    out["university"] = university
    out["university_other"] = university_other

    education_level = str(data.get("education_level") or "")
    if education_level not in EducationLevel.values:
        fail("education_level", _("Choose your highest education."))
    out["education_level"] = education_level
    out["full_time"] = _truthy(data.get("full_time"))

    major = _major(data.get("major"))
    if major is False:
        fail("major", _("There is no major with this code in the catalogue."))
        major = None
    elif major is None and education_level != EducationLevel.JUNIOR_COLLEGE:
        fail("major", _("Choose your major."))
    out["major"] = major

    this_year = timezone.localdate().year
    try:
        graduation_year = int(data.get("graduation_year"))
    except (TypeError, ValueError):
        fail("graduation_year", _("Enter the year you graduated (or will graduate)."))
        graduation_year = None
    else:
        if not EARLIEST_GRADUATION_YEAR <= graduation_year <= this_year + 1:
            fail(
                "graduation_year",
                _("Enter a graduation year between %(first)d and %(last)d.")
                % {"first": EARLIEST_GRADUATION_YEAR, "last": this_year + 1},
            )
        elif out["id_number"] and graduation_year < out["id_number"].birth_date.year + 15:
            fail("graduation_year", _("This graduation year does not fit your date of birth."))
    out["graduation_year"] = graduation_year

    political_status = str(data.get("political_status") or "")
    if political_status not in PoliticalStatus.values:
        fail("political_status", _("Choose your political status."))
    out["political_status"] = political_status

    dialects = data.get("dialects") or []
    if isinstance(dialects, str):
        dialects = [d for d in re.split(r"[\s,]+", dialects) if d]
    unknown = [d for d in dialects if d not in Dialect.values]
    if unknown:
        fail("dialects", _("Choose dialects from the list."))
    out["dialects"] = [d for d in Dialect.values if d in set(dialects)]

    needed = profile_consents_needed(user=user)
    out["consent_privacy"] = _truthy(data.get("privacy_notice_acknowledged"))
    out["consent_sensitive"] = _truthy(data.get("sensitive_consent"))
    if needed[ConsentKind.PRIVACY_NOTICE] and not out["consent_privacy"]:
        fail(
            "privacy_notice_acknowledged",
            _("Please read the privacy notice and confirm that you have read it."),
        )
    if needed[ConsentKind.SENSITIVE_ID_NUMBER] and not out["consent_sensitive"]:
        fail(
            "sensitive_consent",
            _(
                "We cannot keep your ID number without your separate consent to the processing "
                "of this sensitive personal information."
            ),
        )
    out["needed"] = needed
    return out


def id_number_taken(*, id_hash: str, user) -> bool:
    """Another account's profile already holds this number."""
    return GraduateProfile.objects.filter(id_number_hash=id_hash).exclude(user=user).exists()


def graduate_profile_save(*, user, data: dict, request=None) -> GraduateProfile:
    """Create or update `user`'s graduate profile from raw input (form or API).

    `data` keys: real_name, id_number (optional on update: blank keeps it), phone, hometown
    (Region or code), university (University or id) / university_other, education_level,
    full_time, major (Major or code), graduation_year, political_status, dialects,
    privacy_notice_acknowledged, sensitive_consent. Anything else is ignored.
    Raises ValidationError keyed by field; nothing is saved then.
    """
    errors: dict[str, list] = {}
    with transaction.atomic():
        profile = (
            GraduateProfile.objects.select_for_update().filter(user=user).first()
            if user.pk
            else None
        )
        clean = _clean(user=user, profile=profile, data=data, errors=errors)
        parsed = clean["id_number"]
        id_hash = personal_hash(parsed.value) if parsed else None
        id_changes = parsed is not None and (profile is None or profile.id_number_hash != id_hash)
        if id_changes and not errors.get("id_number"):
            if profile is not None and Application.objects.filter(applicant=user).exists():
                errors.setdefault("id_number", []).append(ID_LOCKED_MESSAGE)
            elif id_number_taken(id_hash=id_hash, user=user):
                errors.setdefault("id_number", []).append(DUPLICATE_ID_MESSAGE)
        if errors:
            raise ValidationError(errors)

        created = profile is None
        if created:
            profile = GraduateProfile(user=user)
        changed = []
        for field in (
            "real_name",
            "phone",
            "hometown",
            "university",
            "university_other",
            "education_level",
            "full_time",
            "major",
            "graduation_year",
            "political_status",
            "dialects",
        ):
            if created or getattr(profile, field) != clean[field]:
                changed.append(field)
            setattr(profile, field, clean[field])
        if id_changes:
            profile.id_number_encrypted = personal_encrypt(parsed.value)
            profile.id_number_hash = id_hash
            profile.id_number_masked = parsed.masked
            profile.gender = Gender.MALE if parsed.is_male else Gender.FEMALE
            profile.birth_date = parsed.birth_date
            changed.append("id_number")
        try:
            with transaction.atomic():
                profile.save()
        except IntegrityError as exc:
            # Two requests with the same number at once: the unique hash decides.
            if GraduateProfile.objects.filter(id_number_hash=id_hash).exclude(user=user).exists():
                raise ValidationError({"id_number": [DUPLICATE_ID_MESSAGE]}) from exc
            raise

        _record_consents(user=user, clean=clean, request=request)
        user.full_name = profile.real_name
        user.phone = profile.phone
        user.home_region = profile.hometown
        user.save(update_fields=["full_name", "phone", "home_region"])
        audit_record(
            action=AuditAction.PROFILE_UPDATE,
            actor=user,
            request=request,
            target=profile,
            subject_user_id=user.pk,
            detail={"created": created, "fields": changed},
        )
    return profile


def _record_consents(*, user, clean: dict, request) -> None:
    now = timezone.now()
    records = []
    if clean["needed"][ConsentKind.PRIVACY_NOTICE]:
        records.append((ConsentKind.PRIVACY_NOTICE, settings.PRIVACY_NOTICE_VERSION))
    if clean["needed"][ConsentKind.SENSITIVE_ID_NUMBER]:
        records.append((ConsentKind.SENSITIVE_ID_NUMBER, settings.SENSITIVE_CONSENT_VERSION))
    for kind, version in records:
        ConsentRecord.objects.create(
            user=user, kind=kind, text_version=version, given_at=now, ip_address=client_ip(request)
        )
