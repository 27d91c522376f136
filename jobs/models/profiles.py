from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _

from ..choices import ConsentKind, DocumentKind, EducationLevel, Gender, PoliticalStatus

USER = settings.AUTH_USER_MODEL


class GraduateProfile(models.Model):
    """What a graduate types once and every application reuses.

    The ID number is held encrypted (`id_number_encrypted`, keys from the environment), with a
    keyed hash for uniqueness and a masked form for display; gender and birth date are derived
    from it, never typed.
    """

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="graduate_profile")
    real_name = models.CharField(_("real name"), max_length=32)
    id_number_encrypted = models.TextField(editable=False)
    id_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, editable=False)
    birth_date = models.DateField(_("date of birth"), editable=False)
    phone = models.CharField(_("mobile number"), max_length=11)
    hometown = models.ForeignKey(
        "regions.Region",
        verbose_name=_("registered hometown (hukou)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    university = models.ForeignKey(
        "jobs.University",
        verbose_name=_("university"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    university_other = models.CharField(_("other university"), max_length=64, blank=True)
    education_level = models.CharField(
        _("education"), max_length=16, choices=EducationLevel.choices
    )
    full_time = models.BooleanField(_("full-time study"), default=True)
    major = models.ForeignKey(
        "jobs.Major",
        verbose_name=_("major"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    graduation_year = models.PositiveSmallIntegerField(_("graduation year"))
    political_status = models.CharField(
        _("political status"), max_length=20, choices=PoliticalStatus.choices
    )
    dialects = models.JSONField(_("dialects"), default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("graduate profile")
        verbose_name_plural = _("graduate profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(university__isnull=False) | ~models.Q(university_other=""),
                name="graduateprofile_has_university",
            )
        ]

    def __str__(self) -> str:
        return f"{self.real_name} · {self.id_number_masked}"

    @property
    def university_name(self) -> str:
        return self.university.name if self.university_id else self.university_other


class PrivateStorage(LazyObject):
    """Files kept outside the web root; only permission-checked views read them."""

    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.PRIVATE_STORAGE_ROOT, base_url=None)


private_storage = PrivateStorage()


def private_storage_callable() -> PrivateStorage:
    """FileField's storage, as a callable so that migrations never record a machine's path."""
    return private_storage


def _document_path(instance: "GraduateDocument", filename: str) -> str:
    # The stored name never carries the uploaded name: it may hold personal data.
    return f"graduate-documents/{instance.profile_id}/{instance.token}.{instance.extension}"


class GraduateDocument(models.Model):
    profile = models.ForeignKey(GraduateProfile, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    file = models.FileField(
        storage=private_storage_callable, upload_to=_document_path, max_length=200
    )
    token = models.CharField(max_length=32, unique=True, editable=False)
    extension = models.CharField(max_length=4, editable=False)
    content_type = models.CharField(max_length=32, editable=False)
    size = models.PositiveIntegerField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    original_name = models.CharField(_("file name"), max_length=120, blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["kind", "-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.original_name}"


class ConsentRecord(models.Model):
    """A consent given (or withdrawn) with the version of the text that was shown."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=32, choices=ConsentKind.choices)
    text_version = models.CharField(max_length=16)
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.kind} · {self.text_version}"
