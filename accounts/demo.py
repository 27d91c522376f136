"""Demo accounts for `seed_demo`. Every one shares the demo password and is marked `is_demo`."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from allauth.account.models import EmailAddress

from regions.models import Region

from .choices import Role
from .models import User
from .services import role_grant


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str
    scope_code: str | None = None
    home_code: str | None = None


# 梅县区 441403; its township 程江镇 441403103 and a village in it; 天河区 440106.
DEMO_ACCOUNTS = [
    DemoAccount("admin@demo.gd.cn", "系统管理员", Role.ADMIN),
    DemoAccount("editor@demo.gd.cn", "林培训", Role.TRAINING_EDITOR, "440000"),
    DemoAccount("hr.province@demo.gd.cn", "陈省人社", Role.HR_OFFICER, "440000"),
    DemoAccount("hr.meixian@demo.gd.cn", "李梅县", Role.HR_OFFICER, "441403"),
    DemoAccount("hr.tianhe@demo.gd.cn", "黄天河", Role.HR_OFFICER, "440106"),
    DemoAccount("cadre@demo.gd.cn", "张建国", Role.CADRE, home_code="township:441403"),
    DemoAccount("graduate@demo.gd.cn", "刘思源", Role.GRADUATE, home_code="village:441403"),
]


def _home_region(spec: str | None) -> Region | None:
    if not spec:
        return None
    level, _sep, county = spec.partition(":")
    return Region.objects.filter(level=level, path__contains=f"/{county}/").order_by("code").first()


@transaction.atomic
def seed_demo_accounts() -> list[tuple[str, str]]:
    created = []
    for spec in DEMO_ACCOUNTS:
        user, _created = User.objects.get_or_create(email=spec.email)
        user.full_name = spec.full_name
        user.is_demo = True
        user.is_active = True
        user.home_region = _home_region(spec.home_code)
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=spec.email, defaults={"primary": True, "verified": True}
        )
        scope = Region.objects.get(code=spec.scope_code) if spec.scope_code else None
        role_grant(user=user, role=spec.role, region=scope)
        created.append((spec.email, str(Role(spec.role).label)))
    return created


@transaction.atomic
def seed_scale_hr_officers() -> int:
    """One HR officer per city and county (143), for scoped benchmarks."""
    count = 0
    for region in Region.objects.filter(depth__in=[1, 2]).only("pk", "code", "path", "depth"):
        email = f"hr.{region.code}@scale.gd.cn"
        user, created = User.objects.get_or_create(email=email, defaults={"is_demo": True})
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        role_grant(user=user, role=Role.HR_OFFICER, region=region)
        count += 1
    return count
