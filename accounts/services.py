"""Writes on accounts: roles, invitations, profile changes and API tokens."""

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from wagtail.models import (
    APIToken,
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
)

from allauth.account.models import EmailAddress

from core.email import email_send
from regions.models import Region

from .choices import SCOPED_ROLES, Role
from .models import RoleGrant, User
from .scope import region_in_staff_scope

EDITORS_GROUP = "Training editors"


# Training editors edit, translate and publish the site's pages, images and documents (as
# Wagtail's own "Moderators" group may) and its settings: docs/guide-editors.md.
EDITOR_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("simple_translation", "submit_translation"),
    ("cms", "change_sitesettings"),
]
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
EDITOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _editors_group() -> Group:
    group, created = Group.objects.get_or_create(name=EDITORS_GROUP)
    if created or not GroupPagePermission.objects.filter(group=group).exists():
        group.permissions.add(*(_permission(app, code) for app, code in EDITOR_PERMISSIONS))
        root_page, root_collection = Page.get_first_root_node(), Collection.get_first_root_node()
        for codename in EDITOR_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=_permission("wagtailcore", codename)
            )
        for app, codename in EDITOR_COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=_permission(app, codename)
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
    if not region_in_staff_scope(invited_by, region):
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
    _cadre_invitation_send(user=user, invited_by=invited_by, base_url=base_url)
    return user


def _cadre_invitation_send(*, user: User, invited_by: User, base_url: str) -> None:
    """The activation e-mail (delivered after the surrounding transaction commits)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    with translation.override(user.preferred_language):
        link = base_url + reverse("accounts:activate", kwargs={"uidb64": uid, "token": token})
        email_send(
            to=[user.email],
            template="accounts/email/cadre_invitation",
            context={"user": user, "link": link, "inviter": invited_by.get_full_name()},
        )


@transaction.atomic
def cadre_invite_batch(*, invited_by: User, people: list[dict], base_url: str = "") -> list[User]:
    """Create many cadre accounts at once, as `cadre_invite` does for one, in one transaction.

    `people` is an already-validated batch (the cadre import validates every row and reports
    errors by line first): dicts with email, full_name, region and optionally phone, unit and
    position. The rules that protect accounts are checked again here, and a breach rolls the
    whole batch back. Invitations leave only after the commit.
    """
    emails = [User.objects.normalize_email(p["email"]).lower() for p in people]
    if len(set(emails)) != len(emails):
        raise ValidationError({"email": _("The same e-mail address appears twice.")})
    regions = {p["region"].pk: p["region"] for p in people}
    for region in regions.values():
        if not region_in_staff_scope(invited_by, region):
            raise ValidationError({"region": _("This region is outside your scope.")})
    if User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails).exists():
        raise ValidationError({"email": _("An account with this e-mail address already exists.")})
    users = []
    for email, person in zip(emails, people, strict=True):
        user = User(
            email=email,
            full_name=person["full_name"],
            home_region=person["region"],
            phone=person.get("phone", ""),
            unit=person.get("unit", ""),
            position=person.get("position", ""),
        )
        user.set_unusable_password()
        # Field rules only: uniqueness was checked above in one query, the region is a real row.
        user.full_clean(exclude=["password", "home_region"], validate_unique=False)
        users.append(user)
    User.objects.bulk_create(users, batch_size=1000)
    by_email = {
        u.email: u for u in User.objects.filter(email__in=emails).select_related("home_region")
    }
    users = [by_email[email] for email in emails]
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, primary=True, verified=False) for u in users],
        batch_size=1000,
    )
    # What role_grant(role=CADRE) does for one user: an unscoped grant, no group, no staff flag.
    RoleGrant.objects.bulk_create(
        [RoleGrant(user=u, role=Role.CADRE, region=None) for u in users], batch_size=1000
    )
    for user in users:
        _cadre_invitation_send(user=user, invited_by=invited_by, base_url=base_url)
    return users


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
