"""Writes on accounts: roles, invitations, profile changes and API tokens."""

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from wagtail.models import APIToken

from allauth.account.models import EmailAddress

from core.email import email_send
from regions.models import Region

from .choices import SCOPED_ROLES, Role
from .models import RoleGrant, User
from .scope import region_in_scope

EDITORS_GROUP = "Training editors"


def _editors_group() -> Group:
    group, created = Group.objects.get_or_create(name=EDITORS_GROUP)
    if created:
        group.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
    return group


@transaction.atomic
def role_grant(*, user: User, role: str, region: Region | None = None) -> RoleGrant:
    """Give `user` a role; HR officers and editors need a province, city or county scope."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if role in SCOPED_ROLES:
        if region is None:
            raise ValidationError({"region": _("This role needs a region scope.")})
        if region.depth > 2:
            raise ValidationError(
                {"region": _("A scope must be the province, a city or a county.")}
            )
    else:
        region = None
    grant, _created = RoleGrant.objects.get_or_create(user=user, role=role, region=region)
    if role == Role.TRAINING_EDITOR:
        user.groups.add(_editors_group())
    if role == Role.ADMIN and not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    user.__dict__.pop("role_grants", None)
    user.__dict__.pop("roles", None)
    return grant


@transaction.atomic
def role_revoke(*, user: User, role: str, region: Region | None = None) -> None:
    RoleGrant.objects.filter(user=user, role=role, region=region).delete()
    if role == Role.TRAINING_EDITOR and not user.grants.filter(role=role).exists():
        user.groups.remove(_editors_group())
    if role == Role.ADMIN:
        user.is_staff = user.is_superuser = False
        user.save(update_fields=["is_staff", "is_superuser"])
    user.__dict__.pop("role_grants", None)
    user.__dict__.pop("roles", None)


def user_profile_update(*, user: User, **fields) -> User:
    allowed = {"full_name", "phone", "preferred_language", "home_region"}
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"field {name!r} cannot be changed here")
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=list(fields))
    return user


@transaction.atomic
def cadre_invite(
    *, invited_by: User, email: str, full_name: str, region: Region, base_url: str = ""
) -> User:
    """Create a cadre account that activates through a link sent by e-mail.

    The inviter must hold the region in their HR or editor scope. Inviting an address that
    already has an account is refused, so that nobody can take over an existing account.
    """
    if not (
        region_in_scope(invited_by, region, role=Role.HR_OFFICER)
        or region_in_scope(invited_by, region, role=Role.TRAINING_EDITOR)
    ):
        raise ValidationError({"region": _("This region is outside your scope.")})
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this e-mail address already exists.")})
    user = User(email=email, full_name=full_name, home_region=region)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    role_grant(user=user, role=Role.CADRE)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    with translation.override(user.preferred_language):
        link = base_url + reverse("accounts:activate", kwargs={"uidb64": uid, "token": token})
        email_send(
            to=[email],
            template="accounts/email/cadre_invitation",
            context={"user": user, "link": link, "inviter": invited_by.get_full_name()},
        )
    return user


@transaction.atomic
def cadre_activate(*, user: User, password: str) -> User:
    """Set the first password of an invited account; the e-mail link proves the address."""
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
    return user


def api_token_create(*, user: User, name: str) -> tuple[APIToken, str]:
    """Create a personal token (Wagtail's APIToken: only a keyed digest is stored).

    The plaintext is returned once, for the page to show, and is never stored or logged.
    """
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    return APIToken.create_token(user=user, name=name[:255])


def api_token_revoke(*, user: User, token_id: int) -> None:
    updated = APIToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not updated:
        raise APIToken.DoesNotExist
