"""The signed-in graduate's profile: read it (ID number masked) and write it.

PUT runs the same service as the web form (jobs.services.profiles), so the rules and the
messages are the same; fields a client may not set (user, gender, birth date, the masked or
encrypted number) are not part of the input and are ignored if sent.
"""

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404

from ninja import Router, Schema, Status

from api.auth import token_or_session
from api.schemas import ErrorOut
from jobs.selectors.profiles import profile_of
from jobs.services.profiles import graduate_profile_save, profile_consents_needed

router = Router(tags=["jobs"])
ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}

# Service field name → API field name, for error messages.
_API_FIELDS = {"hometown": "hometown_code", "university": "university_id", "major": "major_code"}


class GraduateDocumentOut(Schema):
    id: int
    kind: str
    content_type: str
    size: int
    uploaded_at: datetime.datetime


class GraduateProfileOut(Schema):
    real_name: str
    id_number_masked: str
    gender: str
    birth_date: datetime.date
    phone: str
    hometown_code: str
    hometown_name: str
    university_id: int | None
    university_name: str
    education_level: str
    full_time: bool
    major_code: str | None
    major_name: str | None
    graduation_year: int
    political_status: str
    dialects: list[str]
    documents: list[GraduateDocumentOut]
    consents_needed: list[str]
    updated_at: datetime.datetime


class GraduateProfileIn(Schema):
    real_name: str = ""
    id_number: str = ""
    phone: str = ""
    hometown_code: str = ""
    university_id: int | None = None
    university_other: str = ""
    education_level: str = ""
    full_time: bool = True
    major_code: str = ""
    graduation_year: int | None = None
    political_status: str = ""
    dialects: list[str] = []
    privacy_notice_acknowledged: bool = False
    sensitive_consent: bool = False


def _out(profile, user) -> dict:
    needed = profile_consents_needed(user=user)
    return {
        "real_name": profile.real_name,
        "id_number_masked": profile.id_number_masked,
        "gender": profile.gender,
        "birth_date": profile.birth_date,
        "phone": profile.phone,
        "hometown_code": profile.hometown.code,
        "hometown_name": profile.hometown.name,
        "university_id": profile.university_id,
        "university_name": profile.university_name,
        "education_level": profile.education_level,
        "full_time": profile.full_time,
        "major_code": profile.major.code if profile.major_id else None,
        "major_name": profile.major.name if profile.major_id else None,
        "graduation_year": profile.graduation_year,
        "political_status": profile.political_status,
        "dialects": profile.dialects,
        "documents": list(profile.documents.all()),
        "consents_needed": [kind for kind, need in needed.items() if need],
        "updated_at": profile.updated_at,
    }


@router.get(
    "/me/graduate-profile",
    response={200: GraduateProfileOut, **ERRORS},
    auth=token_or_session,
    summary="My graduate profile (the ID number masked)",
)
def graduate_profile_get(request):
    profile = profile_of(user=request.user)
    if profile is None:
        raise Http404
    return _out(profile, request.user)


@router.put(
    "/me/graduate-profile",
    response={200: GraduateProfileOut, 201: GraduateProfileOut, **ERRORS},
    auth=token_or_session,
    summary="Create or replace my graduate profile",
    description=(
        "The whole profile. `id_number` may be left empty on an update to keep the stored "
        "number. The first time (and whenever the texts change) "
        "`privacy_notice_acknowledged` and `sensitive_consent` must be true."
    ),
)
def graduate_profile_put(request, payload: GraduateProfileIn):
    existed = profile_of(user=request.user) is not None
    data = payload.dict()
    data["hometown"] = data.pop("hometown_code")
    data["university"] = data.pop("university_id")
    data["major"] = data.pop("major_code")
    try:
        graduate_profile_save(user=request.user, data=data, request=request)
    except ValidationError as exc:
        raise ValidationError(
            {_API_FIELDS.get(field, field): errors for field, errors in exc.error_dict.items()}
        ) from exc
    profile = profile_of(user=request.user)
    return Status(200 if existed else 201, _out(profile, request.user))
