"""accounts.services.role_grant / role_revoke and the database rules behind roles."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

import pytest

from accounts.choices import Role
from accounts.models import RoleGrant, User
from accounts.services import EDITORS_GROUP, role_grant, role_revoke
from tests.factories import UserFactory, region

from .helpers import MEIXIAN, MEIXIAN_TOWNSHIP, TIANHE


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("role", [Role.HR_OFFICER, Role.TRAINING_EDITOR])
@pytest.mark.parametrize("code", ["440000", "441400", MEIXIAN])
def test_scoped_roles_accept_province_city_or_county(regions, role, code):
    user = UserFactory()
    grant = role_grant(user=user, role=role, region=region(code))
    assert grant.region.code == code
    assert fresh(user).has_role(role)


@pytest.mark.parametrize("role", [Role.HR_OFFICER, Role.TRAINING_EDITOR])
def test_scoped_roles_refuse_a_township_or_no_region(regions, role):
    user = UserFactory()
    with pytest.raises(ValidationError) as township:
        role_grant(user=user, role=role, region=region(MEIXIAN_TOWNSHIP))
    assert "region" in township.value.message_dict
    with pytest.raises(ValidationError) as missing:
        role_grant(user=user, role=role, region=None)
    assert "region" in missing.value.message_dict
    assert not RoleGrant.objects.filter(user=user).exists()


def test_unknown_role_is_refused(regions):
    user = UserFactory()
    with pytest.raises(ValidationError) as exc:
        role_grant(user=user, role="mayor", region=region(MEIXIAN))
    assert "role" in exc.value.message_dict
    assert not RoleGrant.objects.filter(user=user).exists()


def test_unscoped_roles_ignore_a_region(regions):
    user = UserFactory()
    grant = role_grant(user=user, role=Role.CADRE, region=region(MEIXIAN))
    assert grant.region is None


def test_admin_role_makes_staff_and_superuser_and_revoking_undoes_it(db):
    user = UserFactory()
    assert not user.is_staff
    role_grant(user=user, role=Role.ADMIN)
    user = fresh(user)
    assert user.is_staff and user.is_superuser
    assert user.has_role(Role.ADMIN)
    role_revoke(user=user, role=Role.ADMIN)
    user = fresh(user)
    assert not user.is_staff and not user.is_superuser
    assert not user.has_role(Role.ADMIN)


def test_editor_joins_editors_group_with_wagtail_admin_access(regions):
    user = UserFactory()
    assert not fresh(user).has_perm("wagtailadmin.access_admin")
    role_grant(user=user, role=Role.TRAINING_EDITOR, region=region(MEIXIAN))
    user = fresh(user)
    assert user.groups.filter(name=EDITORS_GROUP).exists()
    assert user.has_perm("wagtailadmin.access_admin")
    assert not user.is_staff and not user.is_superuser

    # A second scope keeps the group; revoking one scope of two keeps it, the last removes it.
    role_grant(user=user, role=Role.TRAINING_EDITOR, region=region(TIANHE))
    role_revoke(user=user, role=Role.TRAINING_EDITOR, region=region(MEIXIAN))
    assert fresh(user).groups.filter(name=EDITORS_GROUP).exists()
    role_revoke(user=user, role=Role.TRAINING_EDITOR, region=region(TIANHE))
    user = fresh(user)
    assert not user.groups.filter(name=EDITORS_GROUP).exists()
    assert not user.has_perm("wagtailadmin.access_admin")


def test_hr_officer_gets_no_wagtail_admin_access(regions):
    user = UserFactory()
    role_grant(user=user, role=Role.HR_OFFICER, region=region(MEIXIAN))
    assert not fresh(user).has_perm("wagtailadmin.access_admin")


def test_a_user_may_hold_several_roles_and_granting_twice_is_idempotent(regions):
    user = UserFactory()
    role_grant(user=user, role=Role.CADRE)
    role_grant(user=user, role=Role.HR_OFFICER, region=region(MEIXIAN))
    role_grant(user=user, role=Role.HR_OFFICER, region=region(TIANHE))
    role_grant(user=user, role=Role.TRAINING_EDITOR, region=region("440000"))
    role_grant(user=user, role=Role.CADRE)
    role_grant(user=user, role=Role.HR_OFFICER, region=region(MEIXIAN))

    user = fresh(user)
    assert user.roles == {Role.CADRE, Role.HR_OFFICER, Role.TRAINING_EDITOR}
    assert RoleGrant.objects.filter(user=user).count() == 4
    assert user.requires_mfa


def test_granting_updates_the_roles_of_the_same_user_object(regions):
    user = UserFactory()
    assert not user.requires_mfa  # caches roles
    role_grant(user=user, role=Role.HR_OFFICER, region=region(MEIXIAN))
    assert user.requires_mfa


@pytest.mark.parametrize("role", [Role.HR_OFFICER, Role.TRAINING_EDITOR])
def test_database_refuses_a_scoped_role_without_region(db, role):
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(user=user, role=role, region=None)


def test_database_refuses_the_same_unscoped_role_twice(db):
    user = UserFactory()
    RoleGrant.objects.create(user=user, role=Role.CADRE)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(user=user, role=Role.CADRE)


@pytest.mark.parametrize(
    ("role", "privileged"),
    [
        (Role.CADRE, False),
        (Role.GRADUATE, False),
        (Role.OPERATOR, False),
        (Role.HR_OFFICER, True),
        (Role.TRAINING_EDITOR, True),
        (Role.ADMIN, True),
    ],
)
def test_privileged_roles_require_mfa(regions, role, privileged):
    user = UserFactory()
    role_grant(user=user, role=role, region=region(MEIXIAN))
    assert fresh(user).requires_mfa is privileged
