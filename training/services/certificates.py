"""Certificates: issued in the background when a course or a learning path is complete.

A certificate carries a random verification code anyone can check at /verify/<code>/ (the QR
code on the certificate links there). Issuing is idempotent: the database allows one
certificate per person and course (or path), so a rerun of the task returns the same code.
"""

import datetime
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wagtail.models import Page, Site

from accounts.choices import Role
from accounts.models import User
from accounts.scope import region_in_scope
from regions.choices import RegionLevel

from ..canonical import default_locale
from ..choices import EnrollmentStatus
from ..models import Certificate, CoursePage, Enrollment, LearningPathPage

# No 0/O and no 1/I: a code read aloud or copied from paper cannot be mistaken.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 12
_CODE_ATTEMPTS = 5
REASON_MAX_LENGTH = Certificate._meta.get_field("revoked_reason").max_length


def certificate_request(
    *, user_id: int, course_id: int | None = None, path_id: int | None = None
) -> None:
    """Queue the certificate for a completed course (and any learning path it completes)."""
    from ..tasks import issue_certificates

    transaction.on_commit(lambda: issue_certificates.delay(user_id, course_id, path_id))


# --- codes, names, URLs -------------------------------------------------------------------------


def code_generate() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def code_normalise(code: str) -> str:
    """What a person typed or scanned → the stored form: upper case, no spaces or dashes."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def verify_url(code: str) -> str:
    """The absolute, language-neutral URL printed on the certificate and in its QR code.

    It has no language prefix: the site's LocaleMiddleware sends each visitor on to
    /zh-hans/verify/<code>/ or /en/verify/<code>/ by their browser's language.
    """
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/verify/{code}/"


def holder_name_for(user: User) -> str:
    return (user.full_name or "").strip() or user.email.split("@")[0]


def _is_cjk(ch: str) -> bool:
    return (
        "\u2e80" <= ch <= "\u9fff"
        or "\uf900" <= ch <= "\ufaff"
        or "\U00020000" <= ch <= "\U0003134f"
    )


def holder_mask(name: str) -> str:
    """Show enough of a name to recognise it, not enough to find the person.

    张三 → 张*, 张小三 → 张*三, 欧阳小娜 → 欧*娜; Latin names keep their first letter: Li Wei → L***.
    """
    name = "".join((name or "").split())
    if not name:
        return "***"
    if not any(_is_cjk(ch) for ch in name):
        return f"{name[0]}***"
    if len(name) == 1:
        return "*"
    if len(name) == 2:
        return f"{name[0]}*"
    return f"{name[0]}*{name[-1]}"


def _issuer() -> str:
    from cms.models import SiteSettings

    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        return SiteSettings.for_site(site).organisation
    return str(SiteSettings._meta.get_field("organisation").default)


# --- issuing --------------------------------------------------------------------------------------


def _issue(*, user: User, title: str, hours: Decimal, course=None, path=None) -> Certificate:
    """Create the certificate row once; a second call (or a concurrent one) returns the first."""
    lookup = {"course": course} if course is not None else {"path": path}
    existing = Certificate.objects.filter(user=user, **lookup).first()
    if existing:
        return existing
    for _attempt in range(_CODE_ATTEMPTS):
        certificate = Certificate(
            code=code_generate(),
            user=user,
            title=title[:255],
            holder_name=holder_name_for(user)[:64],
            hours=Decimal(hours),
            issued_at=timezone.now(),
            **lookup,
        )
        # Uniqueness is the database's job (below): two workers may race on the same completion.
        certificate.full_clean(
            exclude=["png", "pdf"], validate_unique=False, validate_constraints=False
        )
        try:
            with transaction.atomic():
                certificate.save()
            return certificate
        except IntegrityError:
            existing = Certificate.objects.filter(user=user, **lookup).first()
            if existing:
                return existing
            # Otherwise the random code collided with another certificate's: draw again.
    raise RuntimeError("could not draw an unused certificate code")


def certificate_render(*, certificate: Certificate) -> Certificate:
    """Draw the PNG and PDF and store them under MEDIA_ROOT/certificates/."""
    from ..certificate_render import render_certificate

    rendered = render_certificate(
        code=certificate.code,
        holder_name=certificate.holder_name,
        title=certificate.title,
        is_path=certificate.path_id is not None,
        hours=certificate.hours,
        issued_on=timezone.localdate(certificate.issued_at),
        verify_url=verify_url(certificate.code),
        issuer=_issuer(),
    )
    # The file names carry a random part: knowing a code (printed on the paper) is not enough
    # to fetch the certificate image with the holder's full name from the media server.
    stem = f"{certificate.code}-{secrets.token_hex(8)}"
    certificate.png.save(f"{stem}.png", ContentFile(rendered.png), save=False)
    certificate.pdf.save(f"{stem}.pdf", ContentFile(rendered.pdf), save=False)
    Certificate.objects.filter(pk=certificate.pk).update(
        png=certificate.png.name, pdf=certificate.pdf.name
    )
    return certificate


def _paths_completed(
    *, user: User, course_id: int | None, path_id: int | None
) -> list[tuple[LearningPathPage, list]]:
    """Live default-locale paths (the one asked for, or those containing the course) now all done."""
    paths = LearningPathPage.objects.live().filter(locale=default_locale())
    if path_id is not None:
        paths = paths.filter(pk=path_id)
    elif course_id is not None:
        course_key = (
            CoursePage.objects.filter(pk=course_id)
            .values_list("translation_key", flat=True)
            .first()
        )
        paths = paths.filter(path_courses__course__translation_key=course_key).distinct()
    # Enrolments point at the Chinese source pages; compare by translation key so that a path
    # listing a translated copy of a course still counts.
    done_keys = set(
        Enrollment.objects.filter(user=user, status=EnrollmentStatus.COMPLETED).values_list(
            "course__translation_key", flat=True
        )
    )
    completed = []
    for path in paths.prefetch_related("path_courses__course"):
        courses = [pc.course for pc in path.path_courses.all()]
        if courses and all(c.translation_key in done_keys for c in courses):
            completed.append((path, courses))
    return completed


def certificates_issue_for(
    *, user_id: int, course_id: int | None = None, path_id: int | None = None
) -> list[str]:
    """Issue (or find) the certificates earned: the completed course, and every path it completes.

    Runs in the Celery task `training.tasks.issue_certificates`. Returns the codes, existing or new.
    A certificate whose image is missing (say, a crash while drawing) is drawn again on a rerun.
    """
    user = User.objects.get(pk=user_id)
    certificates: list[Certificate] = []
    if course_id is not None:
        enrollment = (
            Enrollment.objects.filter(
                user=user, course_id=course_id, status=EnrollmentStatus.COMPLETED
            )
            .select_related("course")
            .first()
        )
        if enrollment is not None:
            course = enrollment.course
            certificates.append(
                _issue(user=user, course=course, title=course.title, hours=course.declared_hours)
            )
    for path, courses in _paths_completed(user=user, course_id=course_id, path_id=path_id):
        hours = sum((Decimal(c.declared_hours) for c in courses), Decimal(0))
        certificates.append(_issue(user=user, path=path, title=path.title, hours=hours))
    for certificate in certificates:
        if not certificate.png or not certificate.pdf:
            certificate_render(certificate=certificate)
    return [c.code for c in certificates]


# --- verification and revocation ------------------------------------------------------------------


def certificate_find(*, code: str) -> Certificate | None:
    """The certificate with this code, whatever case or separators it was typed with."""
    code = code_normalise(code)
    if not code or len(code) > 16:
        return None
    return Certificate.objects.select_related("user", "revoked_by").filter(code=code).first()


@dataclass(frozen=True)
class PublicCertificate:
    code: str
    holder: str
    title: str
    # The course's or path's title in the reader's language, when it differs from the
    # certificate's own (which, as issued, is what the paper shows).
    title_translated: str
    is_path: bool
    hours: Decimal
    issued_at: datetime.datetime
    valid: bool
    revoked_at: datetime.datetime | None
    revoked_reason: str


def _title_in_language(certificate: Certificate, language: str) -> str:
    source = certificate.path if certificate.path_id else certificate.course
    if source is None:
        return ""
    title = (
        Page.objects.live()
        .filter(translation_key=source.translation_key, locale__language_code=language)
        .values_list("title", flat=True)
        .first()
    )
    return title if title and title != certificate.title else ""


def certificate_public(*, certificate: Certificate) -> PublicCertificate:
    """What anyone holding the code may see: the holder's name is partly masked."""
    return PublicCertificate(
        code=certificate.code,
        holder=holder_mask(certificate.holder_name),
        title=certificate.title,
        title_translated=_title_in_language(certificate, get_language()),
        is_path=certificate.path_id is not None,
        hours=certificate.hours,
        issued_at=certificate.issued_at,
        valid=certificate.is_valid,
        revoked_at=certificate.revoked_at,
        revoked_reason=certificate.revoked_reason if certificate.revoked_at else "",
    )


def certificate_can_revoke(*, user, certificate: Certificate) -> bool:
    """Administrators; training editors whose scope holds the holder's home region, or the whole province."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.has_role(Role.ADMIN):
        return True
    if not user.has_role(Role.TRAINING_EDITOR):
        return False
    holder = certificate.user
    if holder.home_region_id and region_in_scope(
        user, holder.home_region, role=Role.TRAINING_EDITOR
    ):
        return True
    return any(
        grant.role == Role.TRAINING_EDITOR
        and grant.region
        and grant.region.level == RegionLevel.PROVINCE
        for grant in user.role_grants
    )


def certificate_revoke(*, certificate: Certificate, by: User, reason: str) -> Certificate:
    """Withdraw a certificate for good, with the reason shown on its verification page."""
    if not certificate_can_revoke(user=by, certificate=certificate):
        raise PermissionDenied(_("You may not revoke this certificate."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Give the reason for revoking the certificate.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("The reason can be at most %(n)s characters long.")
                % {"n": REASON_MAX_LENGTH}
            }
        )
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at is not None:
            raise ValidationError(
                _("This certificate was already revoked on %(date)s.")
                % {"date": date_format(timezone.localtime(locked.revoked_at), "DATE_FORMAT")}
            )
        locked.revoked_at = timezone.now()
        locked.revoked_by = by
        locked.revoked_reason = reason
        locked.full_clean(exclude=["png", "pdf"], validate_unique=False, validate_constraints=False)
        locked.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    return locked
