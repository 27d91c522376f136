"""Builders for the jobs side. Regions: call tests.factories.load_small_regions() first
(梅县区 441403 and 天河区 440106 complete down to villages)."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from accounts.choices import Role
from jobs.choices import EducationLevel, PoliticalStatus, RoundStage
from jobs.crypto import personal_encrypt, personal_hash
from jobs.idnumber import id_number_make, id_number_parse
from jobs.models import GraduateProfile, Major, Post, RecruitmentRound, University
from jobs.services.reference import reference_data_import
from regions.models import Region
from tests.factories import user_with_role

MEIXIAN = "441403"
TIANHE = "440106"
_sequence = itertools.count(900)


def load_reference_data() -> None:
    if not Major.objects.exists():
        reference_data_import()


def villages_of(code: str) -> list[Region]:
    return list(
        Region.objects.filter(
            path__startswith=Region.objects.get(code=code).path, level="village"
        ).order_by("code")
    )


def make_round(
    county_code: str = MEIXIAN,
    *,
    stage: str = RoundStage.APPLICATIONS_OPEN,
    max_preferences: int = 5,
    **fields,
) -> RecruitmentRound:
    now = timezone.now()
    defaults = {
        "name": f"{Region.objects.get(code=county_code).name} 2026 年村级公共服务站专职操作员招聘",
        "year": 2026,
        "applications_open_at": now - datetime.timedelta(days=1),
        "applications_close_at": now + datetime.timedelta(days=10),
        "weight_written": Decimal("50"),
        "weight_interview": Decimal("50"),
    }
    defaults.update(fields)
    return RecruitmentRound.objects.create(
        region=Region.objects.get(code=county_code),
        stage=stage,
        max_preferences=max_preferences,
        **defaults,
    )


def make_post(round_: RecruitmentRound, village: Region, **fields) -> Post:
    return Post.objects.create(round=round_, village=village, **fields)


def make_id_number(region_code: str = "441403", birth: datetime.date | None = None) -> str:
    return id_number_make(region_code, birth or datetime.date(2002, 5, 17), next(_sequence) % 1000)


def make_graduate(
    *,
    hometown: Region | None = None,
    id_number: str | None = None,
    education_level: str = EducationLevel.BACHELOR,
    major_code: str = "080901",
    **profile_fields,
):
    """A graduate user with a complete profile (hometown defaults to a 梅县区 village)."""
    load_reference_data()
    user = user_with_role(Role.GRADUATE)
    hometown = hometown or villages_of(MEIXIAN)[0]
    parsed = id_number_parse(id_number or make_id_number(hometown.code[:6]))
    defaults = {
        "real_name": "李小梅",
        "phone": "13800138000",
        "university": University.objects.get(name="嘉应学院"),
        "education_level": education_level,
        "full_time": True,
        "major": Major.objects.get(code=major_code),
        "graduation_year": 2025,
        "political_status": PoliticalStatus.CYL_MEMBER,
        "dialects": ["hakka"],
    }
    defaults.update(profile_fields)
    GraduateProfile.objects.create(
        user=user,
        hometown=hometown,
        id_number_encrypted=personal_encrypt(parsed.value),
        id_number_hash=personal_hash(parsed.value),
        id_number_masked=parsed.masked,
        gender="male" if parsed.is_male else "female",
        birth_date=parsed.birth_date,
        **defaults,
    )
    return user
