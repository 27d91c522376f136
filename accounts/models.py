from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .choices import PRIVILEGED_ROLES, SCOPED_ROLES, AuditAction, Role


class EmailUserManager(UserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in with an e-mail address. Roles are held in `RoleGrant`."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=64, blank=True)
    phone = models.CharField(_("mobile number"), max_length=11, blank=True)
    unit = models.CharField(_("unit"), max_length=120, blank=True)
    position = models.CharField(_("position"), max_length=64, blank=True)
    preferred_language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    home_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "For a cadre, the region of your unit; for a graduate, your registered hometown."
        ),
    )
    is_demo = models.BooleanField(default=False, editable=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name or self.email

    @cached_property
    def role_grants(self) -> list["RoleGrant"]:
        return list(self.grants.select_related("region"))

    @cached_property
    def roles(self) -> frozenset[str]:
        roles = {grant.role for grant in self.role_grants}
        if self.is_superuser:
            roles.add(Role.ADMIN)
        return frozenset(roles)

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def requires_mfa(self) -> bool:
        return bool(self.roles & PRIVILEGED_ROLES)


class RoleGrant(models.Model):
    """A role held by a user; HR officers and editors hold it over a region and all below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region scope"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region"], name="rolegrant_unique_per_region"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(region__isnull=True),
                name="rolegrant_unique_unscoped",
            ),
            models.CheckConstraint(
                condition=~models.Q(role__in=sorted(SCOPED_ROLES)) | models.Q(region__isnull=False),
                name="rolegrant_scoped_roles_have_region",
            ),
        ]

    def __str__(self) -> str:
        if self.region_id:
            return f"{self.get_role_display()} · {self.region}"
        return str(self.get_role_display())


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit log is append-only.")

    def delete(self):
        raise TypeError("The audit log is append-only; old records go through audit_log_purge.")

    def purge(self) -> int:
        """Delete without signals or cascades; only accounts.audit.audit_log_purge calls it."""
        return self._raw_delete(self.db)


class AuditEvent(models.Model):
    """One access to or change of personal data: who, what, when, from where.

    Append-only, and never holds the personal data itself: `detail` carries ids and counts
    only. The subject is kept as a plain id so that the record outlives an erased account.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    subject_user_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=256, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit log")
        ordering = ["-at"]
        indexes = [models.Index(fields=["action", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit log is append-only.")
