"""Public certificate verification: what the page at /verify/<code>/ shows, as JSON."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from ninja import Router, Schema
from ninja.errors import HttpError

from api.schemas import ErrorOut
from training.services.certificates import certificate_find, certificate_public

router = Router(tags=["certificates"])


class CertificateOut(Schema):
    code: str
    holder: str
    title: str
    kind: str
    hours: Decimal
    issued_at: datetime.datetime
    valid: bool
    revoked_at: datetime.datetime | None
    revoked_reason: str


@router.get(
    "/certificates/{code}",
    auth=None,
    response={200: CertificateOut, 404: ErrorOut},
    summary="Verify a certificate by its code (public; the holder's name is partly masked)",
)
def certificate_verify(request, code: str):
    certificate = certificate_find(code=code)
    if certificate is None:
        raise HttpError(404, _("No certificate has this code."))
    public = certificate_public(certificate=certificate)
    return {
        "code": public.code,
        "holder": public.holder,
        "title": public.title,
        "kind": "path" if public.is_path else "course",
        "hours": public.hours,
        "issued_at": public.issued_at,
        "valid": public.valid,
        "revoked_at": public.revoked_at,
        "revoked_reason": public.revoked_reason,
    }
