"""Shared test data builders. Regions come from the real file in ../shared/data."""

import csv
import io
from functools import cache
from pathlib import Path

from django.conf import settings

import factory

from accounts.choices import Role
from accounts.models import User
from accounts.services import role_grant
from regions.models import Region
from regions.services import regions_import

REGIONS_CSV = Path(settings.SHARED_DATA_DIR) / "regions-guangdong.csv"
# Counties kept whole in the small data set: 梅县区 (under-served 梅州) and 天河区 (广州, PRD).
SMALL_SET_COUNTIES = ("441403", "440106")
PASSWORD = "correct-horse-battery-staple"  # noqa: S105


@cache
def small_regions_csv() -> bytes:
    """Province, all cities and counties, and everything below 梅县区 and 天河区 (~700 rows)."""
    with REGIONS_CSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    kept = [
        r
        for r in rows
        if r["level"] in ("province", "city", "county") or r["code"].startswith(SMALL_SET_COUNTIES)
    ]
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=["code", "name", "level", "parent_code"], lineterminator="\n"
    )
    writer.writeheader()
    writer.writerows(kept)
    return out.getvalue().encode()


def load_small_regions() -> None:
    regions_import(source=small_regions_csv())


def region(code: str) -> Region:
    return Region.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.gd.cn")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if not create:
            return
        from allauth.account.models import EmailAddress

        self.save()
        EmailAddress.objects.get_or_create(
            user=self,
            email=self.email,
            defaults={"primary": True, "verified": extracted is not False},
        )


def user_with_role(role: str, region_code: str | None = None, **kwargs) -> User:
    user = UserFactory(**kwargs)
    role_grant(
        user=user, role=role, region=Region.objects.get(code=region_code) if region_code else None
    )
    return user


__all__ = [
    "PASSWORD",
    "Role",
    "UserFactory",
    "load_small_regions",
    "region",
    "small_regions_csv",
    "user_with_role",
]
