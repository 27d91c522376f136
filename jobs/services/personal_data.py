"""A graduate's rights over their data: take all of it away, or have it erased.

Erasure keeps what the law requires: placements, the offers and applications they rest on
(every application that reached matching), and the audit log. The account then stays as an
anonymous, inactive shell holding those rows; without any of them it is deleted outright.
"""

import json
import tempfile
import zipfile
from typing import IO

from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.utils import timezone

from wagtail.models import APIToken

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from cryptography.fernet import Fernet, InvalidToken

from accounts.audit import audit_record
from accounts.choices import AuditAction

from ..choices import ApplicationStatus
from ..crypto import personal_decrypt, personal_reencrypt
from ..models import Application, ConsentRecord, GraduateProfile, Placement
from .documents import document_files_delete

# Applications that reached matching are part of the record of who was offered a post.
KEPT_APPLICATION_STATUSES = frozenset(
    {
        ApplicationStatus.MATCHED,
        ApplicationStatus.OFFERED,
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.DECLINED,
        ApplicationStatus.EXPIRED,
        ApplicationStatus.PUBLIC_NOTICE,
        ApplicationStatus.ONBOARDED,
        ApplicationStatus.IN_SERVICE,
        ApplicationStatus.COMPLETED,
        ApplicationStatus.LEFT,
    }
)


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _region(region) -> dict | None:
    return {"code": region.code, "name": region.name} if region is not None else None


def personal_data_collect(*, user) -> tuple[dict, list[tuple[str, object]]]:
    """Everything held about `user` as JSON-ready data, and the documents as (zip name, file)."""
    data: dict = {
        "generated_at": _iso(timezone.now()),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "phone": user.phone,
            "unit": user.unit,
            "position": user.position,
            "preferred_language": user.preferred_language,
            "home_region": _region(user.home_region),
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "roles": sorted(user.roles),
        },
        "graduate_profile": None,
        "documents": [],
        "consents": [
            {
                "kind": c.kind,
                "text_version": c.text_version,
                "given_at": _iso(c.given_at),
                "withdrawn_at": _iso(c.withdrawn_at),
                "ip_address": c.ip_address,
            }
            for c in ConsentRecord.objects.filter(user=user).order_by("given_at")
        ],
        "applications": [],
        "placements": [],
    }
    files: list[tuple[str, object]] = []
    profile = (
        GraduateProfile.objects.select_related("hometown", "university", "major")
        .filter(user=user)
        .first()
    )
    if profile is not None:
        data["graduate_profile"] = {
            "real_name": profile.real_name,
            # The full number: it is the graduate's own.
            "id_number": personal_decrypt(profile.id_number_encrypted),
            "gender": profile.gender,
            "birth_date": _iso(profile.birth_date),
            "phone": profile.phone,
            "hometown": _region(profile.hometown),
            "university": profile.university_name,
            "education_level": profile.education_level,
            "full_time": profile.full_time,
            "major": (
                {"code": profile.major.code, "name": profile.major.name} if profile.major else None
            ),
            "graduation_year": profile.graduation_year,
            "political_status": profile.political_status,
            "dialects": profile.dialects,
            "created_at": _iso(profile.created_at),
            "updated_at": _iso(profile.updated_at),
        }
        for document in profile.documents.order_by("uploaded_at", "pk"):
            name = f"documents/{document.kind}-{document.pk}.{document.extension}"
            data["documents"].append(
                {
                    "kind": document.kind,
                    "file": name,
                    "original_name": document.original_name,
                    "content_type": document.content_type,
                    "size": document.size,
                    "sha256": document.sha256,
                    "uploaded_at": _iso(document.uploaded_at),
                }
            )
            files.append((name, document.file))

    applications = (
        Application.objects.filter(applicant=user)
        .select_related("round__region")
        .prefetch_related("preferences__post__village", "events", "offers__post__village")
        .order_by("submitted_at")
    )
    for application in applications:
        data["applications"].append(
            {
                "id": application.pk,
                "round": {"id": application.round_id, "name": application.round.name},
                "status": application.status,
                "written_score": _decimal(application.written_score),
                "interview_score": _decimal(application.interview_score),
                "eligibility_reason": application.eligibility_reason,
                "submitted_at": _iso(application.submitted_at),
                "preferences": [
                    {
                        "rank": p.rank,
                        "post_id": p.post_id,
                        "post_title": p.post.title,
                        "village": _region(p.post.village),
                    }
                    for p in application.preferences.all()
                ],
                "events": [
                    {
                        "from_status": e.from_status,
                        "to_status": e.to_status,
                        "reason": e.reason,
                        "at": _iso(e.at),
                    }
                    for e in application.events.all()
                ],
                "offers": [
                    {
                        "id": o.pk,
                        "post_id": o.post_id,
                        "village": _region(o.post.village),
                        "status": o.status,
                        "created_at": _iso(o.created_at),
                        "reply_deadline": _iso(o.reply_deadline),
                        "responded_at": _iso(o.responded_at),
                    }
                    for o in application.offers.all()
                ],
            }
        )
    for placement in Placement.objects.filter(user=user).select_related("village"):
        data["placements"].append(
            {
                "id": placement.pk,
                "post_id": placement.post_id,
                "village": _region(placement.village),
                "status": placement.status,
                "start_date": _iso(placement.start_date),
                "term_end": _iso(placement.term_end),
                "ended_at": _iso(placement.ended_at),
                "end_reason": placement.end_reason,
            }
        )
    return data, files


def _decimal(value) -> str | None:
    return str(value) if value is not None else None


def personal_data_export(*, user, request=None) -> IO[bytes]:
    """A ZIP of data.json and the document files, as a temporary file at position 0."""
    data, files = personal_data_collect(user=user)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - the caller streams and closes it
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        for name, field_file in files:
            try:
                with field_file.open("rb") as f:
                    archive.writestr(name, f.read())
            except FileNotFoundError:
                continue
    out.seek(0)
    audit_record(
        action=AuditAction.DATA_DOWNLOAD,
        actor=user,
        request=request,
        subject_user_id=user.pk,
        detail={"applications": len(data["applications"]), "documents": len(files)},
    )
    return out


def account_delete(*, user, request=None) -> str:
    """Erase the account; returns "deleted" or "anonymised" (rows the law keeps remain)."""
    user_id = user.pk
    with transaction.atomic():
        file_names: list[str] = []
        profile = GraduateProfile.objects.filter(user=user).first()
        if profile is not None:
            file_names = [d.file.name for d in profile.documents.all()]
            profile.delete()
        ConsentRecord.objects.filter(user=user).delete()
        kept = Application.objects.filter(applicant=user).filter(
            Q(status__in=KEPT_APPLICATION_STATUSES) | Q(offers__isnull=False)
        )
        Application.objects.filter(applicant=user).exclude(pk__in=kept.values("pk")).delete()
        must_keep = kept.exists() or Placement.objects.filter(user=user).exists()
        mode = "anonymised"
        if not must_keep:
            try:
                with transaction.atomic():
                    user.delete()
                mode = "deleted"
            except (ProtectedError, RestrictedError):
                # Something else the law or another record keeps (e.g. a certificate).
                pass
        if mode == "anonymised":
            EmailAddress.objects.filter(user=user).delete()
            Authenticator.objects.filter(user=user).delete()
            UserSession.objects.filter(user=user).delete()
            APIToken.objects.filter(user=user).delete()
            user.grants.all().delete()
            user.email = f"deleted-{user_id}@invalid"
            user.full_name = ""
            user.phone = ""
            user.unit = ""
            user.position = ""
            user.home_region = None
            user.is_active = False
            user.is_staff = False
            user.is_superuser = False
            user.set_unusable_password()
            user.save()
        audit_record(
            action=AuditAction.ACCOUNT_DELETE,
            actor=None,
            actor_label=f"user #{user_id}",
            request=request,
            subject_user_id=user_id,
            detail={"mode": mode},
        )
        document_files_delete(file_names)
    return mode


def personal_data_keys_rotate(*, batch_size: int = 500, stdout=None) -> dict[str, int]:
    """Re-encrypt every stored ID number under the first key of PERSONAL_DATA_KEYS.

    Idempotent: numbers already under the first key are left alone. Runs in batches, each
    in its own transaction, so that it can be interrupted and started again.
    """
    keys = tuple(settings.PERSONAL_DATA_KEYS)
    counts = {"rotated": 0, "current": 0}
    if not keys:
        # One key derived from SECRET_KEY (development): nothing to rotate from.
        counts["current"] = GraduateProfile.objects.count()
        return counts
    first = Fernet(keys[0].encode())
    last_pk = 0
    while True:
        with transaction.atomic():
            batch = list(
                GraduateProfile.objects.select_for_update()
                .filter(pk__gt=last_pk)
                .order_by("pk")
                .only("pk", "id_number_encrypted")[:batch_size]
            )
            if not batch:
                break
            changed = []
            for profile in batch:
                try:
                    first.decrypt(profile.id_number_encrypted.encode())
                except InvalidToken:
                    profile.id_number_encrypted = personal_reencrypt(profile.id_number_encrypted)
                    changed.append(profile)
                else:
                    counts["current"] += 1
            if changed:
                GraduateProfile.objects.bulk_update(changed, ["id_number_encrypted"])
            counts["rotated"] += len(changed)
            last_pk = batch[-1].pk
        if stdout is not None:
            stdout.write(f"… {counts['rotated']} re-encrypted, {counts['current']} already current")
    return counts
