"""The province-scale jobs data set for benchmarks (`seed_demo --scale province`).

One post at every village (26,735 with the full regions file), in one round per county-level
unit that has villages: the 122 counties, plus 东莞市 and 中山市, which have townships but no
counties (their 887 villages would otherwise have no round) — 124 rounds. The rounds are at the
matching stage with every application scored, so that a match run can start at once.

100,000 graduates with realistic profiles: a hometown village drawn over the province; a real
university (vocational colleges for junior-college graduates, universities otherwise; often in
their home city); a real major; the dialect of their home city; and a valid, clearly synthetic
ID number (hometown's county code, birth 1996-2004, sequence 900-989 — unique by construction),
encrypted, hashed and masked as the profile service stores it. Users are demo users who cannot
sign in. About 90% apply in their home county's round, the others in a neighbouring one; each
ranks 10 of the round's posts, home village and township first, and has written and interview
scores (status SCORED).

Rows go in batches, each batch in its own transaction (PostgreSQL COPY where the rows are new,
bulk_create elsewhere), so that a stopped run resumes where it stopped; a complete data set is
detected by counts and left alone.
"""

import datetime
import json
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from allauth.account.models import EmailAddress

from accounts.choices import Role
from accounts.models import RoleGrant, User
from regions.models import PATH_SEPARATOR, Region

from ..choices import ApplicationStatus, ConsentKind, PoliticalStatus, RoundStage
from ..crypto import personal_encrypt, personal_hash
from ..idnumber import id_number_make, id_number_mask
from ..models import (
    Application,
    ConsentRecord,
    GraduateProfile,
    Major,
    Post,
    Preference,
    RecruitmentRound,
    University,
)
from ..selectors.posts import jobs_public_cache_invalidate
from ..services.reference import reference_data_import
from .content import GIVEN_NAMES, SURNAMES
from .people import SCALE_SEQUENCES

DOMAIN = "scale.gd.cn"
MAX_GRADUATES = 999_999  # six digits in the e-mail address
PREFERENCES = 10
HOME_SHARE = 0.9
FIRST_BIRTH, LAST_BIRTH = datetime.date(1996, 1, 1), datetime.date(2004, 12, 31)
BIRTH_DAYS = (LAST_BIRTH - FIRST_BIRTH).days + 1
ID_SLOTS = BIRTH_DAYS * len(SCALE_SEQUENCES)  # distinct (birth date, sequence) per county
ID_STRIDE = 7919  # a prime that does not divide ID_SLOTS: k → k * stride mod slots is one-to-one
MORE_GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "强",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "霞",
]
DIALECT_BY_CITY = {  # city code → the dialect most people there speak
    **dict.fromkeys(["441400", "441600", "440200", "441300"], "hakka"),
    **dict.fromkeys(["445100", "440500", "445200", "441500"], "teochew"),
    "440800": "leizhou",
}


def scale_email(number: int) -> str:
    return f"graduate.{number:06d}@{DOMAIN}"


def scale_graduates(first: int = 1, last: int = MAX_GRADUATES) -> QuerySet[User]:
    """Scale graduates number `first` to `last`, by a range scan of the e-mail index."""
    return User.objects.filter(
        email__gte=scale_email(first), email__lte=scale_email(last), email__endswith=f"@{DOMAIN}"
    )


def scale_round_name(unit: Region, year: int) -> str:
    return f"{unit.name}{year}年村级公共服务站专职操作员统一招聘"


@dataclass(frozen=True)
class ScaleJobsResult:
    rounds: int
    posts: int
    graduates: int  # scale graduates there are now (up to the number asked for)
    graduates_created: int
    applications: int
    preferences: int
    seconds: float


@dataclass
class _Unit:
    """A county-level unit with villages, and its round's posts."""

    code: str
    region_id: int
    city_code: str
    round_id: int = 0
    villages: list[int] = field(default_factory=list)  # village pks, by code
    by_township: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    neighbours: list[str] = field(default_factory=list)


# --- writing rows -------------------------------------------------------------------------------


def _now_fields(model) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]


def rows_insert(model: type[models.Model], rows: list[dict], *, new: bool = True) -> None:
    """Insert rows given as {attname: value}; other fields take their defaults.

    On PostgreSQL, rows known to be new (`new`) are COPYed straight into the table: several
    times faster than bulk_create, whose per-value work in Python dominates at a million rows.
    Otherwise bulk_create, skipping rows that break a unique constraint.
    """
    if not rows:
        return
    if connection.vendor != "postgresql" or not new:
        model.objects.bulk_create(
            [model(**row) for row in rows], batch_size=2_000, ignore_conflicts=True
        )
        return
    now = timezone.now()
    stamped = set(_now_fields(model))
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {
        f.attname: (now if f.attname in stamped else f.get_default())
        for f in fields
        if f.attname not in rows[0]
    }
    json_fields = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    names = [f.attname for f in fields]
    # Table and column names come from the model, quoted; the values travel by COPY.
    with connection.cursor() as cursor:
        sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        with cursor.copy(sql) as copy:
            for row in rows:
                values = []
                for name in names:
                    value = row[name] if name in row else defaults[name]
                    if name in json_fields:
                        value = json.dumps(value)
                    values.append(value)
                copy.write_row(values)


# --- rounds and posts ---------------------------------------------------------------------------


def _unit_code(path: str) -> str:
    """The county-level unit of a region path: its deepest six-digit code (东莞市 for its towns)."""
    six = [code for code in path.split(PATH_SEPARATOR) if len(code) == 6]
    return six[-1]


def _units() -> dict[str, _Unit]:
    """Every county-level unit that has villages, with its villages grouped by township."""
    villages = Region.objects.filter(level="village").order_by("code")
    units: dict[str, _Unit] = {}
    for pk, path, township in villages.values_list("pk", "path", "parent_id").iterator(5_000):
        code = _unit_code(path)
        unit = units.get(code)
        if unit is None:
            unit = units[code] = _Unit(code=code, region_id=0, city_code=path.split("/")[1])
        unit.villages.append(pk)
        unit.by_township[township].append(pk)
    for code, pk in Region.objects.filter(code__in=list(units)).values_list("code", "pk"):
        units[code].region_id = pk
    ordered = sorted(units)
    for i, code in enumerate(ordered):
        unit = units[code]
        unit.neighbours = [c for c in ordered if c != code and units[c].city_code == unit.city_code]
        if not unit.neighbours and len(ordered) > 1:  # a city without counties, or alone
            unit.neighbours = [ordered[j] for j in (i - 1, (i + 1) % len(ordered)) if j != i]
    return units


def _round_dates(today: datetime.date) -> dict:
    def at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
        day = today + datetime.timedelta(days=days)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

    return {
        "stage": RoundStage.MATCHING,
        "announce_on": today - datetime.timedelta(days=70),
        "applications_open_at": at(-60, 9),
        "applications_close_at": at(-40, 17, 30),
        "eligibility_review_until": today - datetime.timedelta(days=33),
        "scores_until": today - datetime.timedelta(days=5),
        "matching_on": today,
        "onboarding_on": today + datetime.timedelta(days=45),
        "age_reference_date": today - datetime.timedelta(days=40),
        "max_preferences": PREFERENCES,
    }


def _seed_rounds_and_posts(units: dict[str, _Unit], log) -> dict[int, int]:
    """Create the missing rounds and posts; return {village pk: post pk}."""
    today = timezone.localdate()
    dates = _round_dates(today)
    regions = Region.objects.in_bulk([u.region_id for u in units.values()])
    paths = dict(Region.objects.filter(level="village").values_list("pk", "path"))
    created_posts = 0
    for unit in units.values():
        region = regions[unit.region_id]
        name = scale_round_name(region, today.year)
        round_ = RecruitmentRound.objects.filter(region=region, name=name).first()
        if round_ is None:
            officer = User.objects.filter(email=f"hr.{unit.code}@scale.gd.cn").first()
            round_ = RecruitmentRound.objects.create(
                region=region, name=name, year=today.year, created_by=officer, **dates
            )
        unit.round_id = round_.pk
        have = set(Post.objects.filter(round=round_).values_list("village_id", flat=True))
        missing = [v for v in unit.villages if v not in have]
        Post.objects.bulk_create(
            [
                Post(
                    round=round_,
                    village_id=v,
                    region_path=paths[v],
                    max_age_by_level={"junior_college": 35, "bachelor": 35, "master": 35},
                    monthly_subsidy_fen=380_000,
                    service_term_months=36,
                )
                for v in missing
            ],
            batch_size=2_000,
            ignore_conflicts=True,
        )
        created_posts += len(missing)
    if created_posts:
        log(f"  posts: {created_posts:,} created")
    round_ids = [u.round_id for u in units.values()]
    return dict(Post.objects.filter(round_id__in=round_ids).values_list("village_id", "pk"))


# --- graduates ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Graduate:
    number: int
    name: str
    hometown: int
    unit: str  # the hometown's county-level unit
    id_number: str
    birth_date: datetime.date
    male: bool
    education: str
    university: int
    major: int
    political: str
    dialect: str
    graduation_year: int
    round_unit: str
    posts: list[int]  # village pks, first choice first
    written: Decimal
    interview: Decimal
    submitted_days: float


class _Planner:
    """Draws every graduate from their number: the same graduate on every run."""

    def __init__(self, units: dict[str, _Unit], year: int):
        self.units = units
        self.year = year
        self.village_list = [(code, v) for code in sorted(units) for v in units[code].villages]
        self.township_of = {
            v: t for u in units.values() for t, villages in u.by_township.items() for v in villages
        }
        self.issued: dict[str, int] = defaultdict(int)  # ID numbers issued per unit
        universities = list(
            University.objects.order_by("name").values_list("pk", "level", "city_code")
        )
        self.colleges = [u for u in universities if u[1] == "专科"] or universities
        self.universities = [u for u in universities if u[1] != "专科"] or universities
        self.majors = list(Major.objects.order_by("code").values_list("pk", flat=True))
        if not self.majors or not universities:
            raise ValueError("No majors or universities: run the reference data import first.")

    def _school(self, rng: random.Random, education: str, city: str) -> int:
        pool = self.colleges if education == "junior_college" else self.universities
        local = [u for u in pool if u[2] == city]
        return rng.choice(local if local and rng.random() < 0.4 else pool)[0]

    def _choices(self, rng: random.Random, unit: _Unit, home: int | None) -> list[int]:
        """Ten villages of the unit: home village (often) and township first, then others."""
        wanted = min(PREFERENCES, len(unit.villages))
        chosen: list[int] = []
        if home is not None and rng.random() < 0.6:
            chosen.append(home)
        township = (
            self.township_of[home] if home is not None else rng.choice(list(unit.by_township))
        )
        nearby = [v for v in unit.by_township[township] if v not in chosen]
        chosen += rng.sample(nearby, min(len(nearby), rng.randint(2, 5), wanted - len(chosen)))
        taken = set(chosen)
        while len(chosen) < wanted:
            village = unit.villages[rng.randrange(len(unit.villages))]
            if village not in taken:
                taken.add(village)
                chosen.append(village)
        return chosen

    def graduate(self, number: int) -> _Graduate:
        rng = random.Random(number * 2_654_435_761)  # noqa: S311 - demo data, the same every run
        unit_code, hometown = self.village_list[rng.randrange(len(self.village_list))]
        unit = self.units[unit_code]
        k = self.issued[unit_code]
        self.issued[unit_code] += 1
        slot = (k * ID_STRIDE) % ID_SLOTS
        birth = FIRST_BIRTH + datetime.timedelta(days=slot // len(SCALE_SEQUENCES))
        sequence = SCALE_SEQUENCES[slot % len(SCALE_SEQUENCES)]
        draw = rng.random()
        education = "junior_college" if draw < 0.22 else "master" if draw > 0.94 else "bachelor"
        home_round = rng.random() < HOME_SHARE or not unit.neighbours
        round_unit = unit_code if home_round else rng.choice(unit.neighbours)
        posts = self._choices(rng, self.units[round_unit], hometown if home_round else None)
        given = rng.choice(GIVEN_NAMES) if rng.random() < 0.8 else rng.choice(MORE_GIVEN)
        political = rng.choices(
            [PoliticalStatus.CPC_MEMBER, PoliticalStatus.CYL_MEMBER, PoliticalStatus.NONE],
            weights=[10, 75, 15],
        )[0]
        return _Graduate(
            number=number,
            name=rng.choice(SURNAMES) + given,
            hometown=hometown,
            unit=unit_code,
            id_number=id_number_make(unit_code, birth, sequence),
            birth_date=birth,
            male=sequence % 2 == 1,
            education=education,
            university=self._school(rng, education, unit.city_code),
            major=rng.choice(self.majors),
            political=political.value,
            dialect=DIALECT_BY_CITY.get(unit.city_code, "cantonese"),
            graduation_year=self.year - rng.randint(0, 1),
            round_unit=round_unit,
            posts=posts,
            written=Decimal(round(min(98, max(35, rng.gauss(70, 10))) * 2) / 2),
            interview=Decimal(round(min(98, max(40, rng.gauss(75, 8))) * 2) / 2),
            submitted_days=rng.uniform(0.1, 19.9),
        )


def _seed_batch(
    plans: list[_Graduate],
    *,
    units: dict[str, _Unit],
    post_of: dict[int, int],
    password: str,
    opened: dict[str, datetime.datetime],
) -> int:
    """Write one batch of graduates and everything they have; returns the users created."""
    numbers = [p.number for p in plans]
    first, last = numbers[0], numbers[-1]
    existing = set(scale_graduates(first, last).values_list("email", flat=True))
    now = timezone.now()
    new_users = [
        User(
            email=scale_email(p.number),
            password=password,
            full_name=p.name,
            home_region_id=p.hometown,
            is_demo=True,
            date_joined=now,
        )
        for p in plans
        if scale_email(p.number) not in existing
    ]
    User.objects.bulk_create(new_users, batch_size=2_000, ignore_conflicts=True)
    pk_of = dict(scale_graduates(first, last).values_list("email", "pk"))
    user_pks = list(pk_of.values())
    new_pks = [pk_of[u.email] for u in new_users]
    rows_insert(
        RoleGrant,
        [{"user_id": pk, "role": Role.GRADUATE.value, "granted_at": now} for pk in new_pks],
        new=False,
    )
    rows_insert(
        EmailAddress,
        [{"user_id": pk, "email": u.email, "verified": True, "primary": True}
         for pk, u in zip(new_pks, new_users, strict=True)],
        new=False,
    )  # fmt: skip

    with_profile = set(
        GraduateProfile.objects.filter(user_id__in=user_pks).values_list("user_id", flat=True)
    )
    profiles, consents = [], []
    for p in plans:
        pk = pk_of[scale_email(p.number)]
        if pk in with_profile:
            continue
        joined = opened[p.round_unit] + datetime.timedelta(days=p.submitted_days - 0.05)
        profiles.append(
            {
                "user_id": pk,
                "real_name": p.name,
                "id_number_encrypted": personal_encrypt(p.id_number),
                "id_number_hash": personal_hash(p.id_number),
                "id_number_masked": id_number_mask(p.id_number),
                "gender": "male" if p.male else "female",
                "birth_date": p.birth_date,
                "phone": f"1{3 + p.number % 7}{p.number:09d}",
                "hometown_id": p.hometown,
                "university_id": p.university,
                "university_other": "",
                "education_level": p.education,
                "full_time": True,
                "major_id": p.major,
                "graduation_year": p.graduation_year,
                "political_status": p.political,
                "dialects": [p.dialect],
                "created_at": joined,
                "updated_at": joined,
            }
        )
        for kind, version in (
            (ConsentKind.PRIVACY_NOTICE.value, settings.PRIVACY_NOTICE_VERSION),
            (ConsentKind.SENSITIVE_ID_NUMBER.value, settings.SENSITIVE_CONSENT_VERSION),
        ):
            consents.append(
                {"user_id": pk, "kind": kind, "text_version": version, "given_at": joined}
            )
    rows_insert(GraduateProfile, profiles)
    rows_insert(ConsentRecord, consents)

    scale_rounds = {unit.round_id for unit in units.values()}
    applied = set(
        Application.objects.filter(
            applicant_id__in=user_pks, round_id__in=scale_rounds
        ).values_list("applicant_id", flat=True)
    )
    todo = [p for p in plans if pk_of[scale_email(p.number)] not in applied]
    rows_insert(
        Application,
        [
            {
                "round_id": units[p.round_unit].round_id,
                "applicant_id": pk_of[scale_email(p.number)],
                "status": ApplicationStatus.SCORED.value,
                "written_score": p.written,
                "interview_score": p.interview,
                "submitted_at": opened[p.round_unit] + datetime.timedelta(days=p.submitted_days),
                "reviewed_at": opened[p.round_unit] + datetime.timedelta(days=24),
            }
            for p in todo
        ],
    )
    if todo:
        application_of = dict(
            Application.objects.filter(
                applicant_id__in=[pk_of[scale_email(p.number)] for p in todo],
                round_id__in=scale_rounds,
            ).values_list("applicant_id", "pk")
        )
        rows_insert(
            Preference,
            [
                {
                    "application_id": application_of[pk_of[scale_email(p.number)]],
                    "post_id": post_of[village],
                    "rank": rank,
                }
                for p in todo
                for rank, village in enumerate(p.posts, start=1)
            ],
        )
    return len(new_users)


def seed_scale_jobs(
    *,
    graduates: int = 100_000,
    batch_size: int = 5_000,
    log: Callable[[str], None] | None = None,
) -> ScaleJobsResult:
    """Add what is missing of the province-scale jobs data set. Needs the regions imported."""
    if not 0 < graduates <= MAX_GRADUATES:
        raise ValueError(f"graduates must be between 1 and {MAX_GRADUATES:,}")
    started = time.perf_counter()
    write = log or (lambda _message: None)

    def say(message: str) -> None:
        write(f"{message} [{time.perf_counter() - started:.0f} s]")

    if Major.objects.count() < 800 or not University.objects.exists():
        reference_data_import()
    units = _units()
    if not units:
        raise ValueError("No villages: import the regions first.")
    villages = sum(len(u.villages) for u in units.values())
    say(f"Scale jobs: {villages:,} villages in {len(units)} county-level units.")
    with transaction.atomic():
        post_of = _seed_rounds_and_posts(units, say)
    round_ids = [u.round_id for u in units.values()]
    everyone = scale_graduates(1, graduates)
    applications = Application.objects.filter(round_id__in=round_ids, applicant__in=everyone)
    before = everyone.count()
    created = 0
    if applications.count() < graduates:
        say(f"Scale jobs: creating {graduates - before:,} graduates and their applications…")
        planner = _Planner(units, timezone.localdate().year)
        opened = dict.fromkeys(units, None)
        open_at = dict(
            RecruitmentRound.objects.filter(pk__in=round_ids).values_list(
                "pk", "applications_open_at"
            )
        )
        for code, unit in units.items():
            opened[code] = open_at[unit.round_id]
        placeholder = User()
        placeholder.set_unusable_password()
        for first in range(1, graduates + 1, batch_size):
            last = min(first + batch_size - 1, graduates)
            plans = [planner.graduate(n) for n in range(first, last + 1)]  # always: ID counters
            users = scale_graduates(first, last)
            done = Application.objects.filter(round_id__in=round_ids, applicant__in=users).count()
            if done == last - first + 1:
                continue
            with transaction.atomic():
                created += _seed_batch(
                    plans,
                    units=units,
                    post_of=post_of,
                    password=placeholder.password,
                    opened=opened,
                )
            say(f"  graduates: {last:,} of {graduates:,}")
    else:
        say(f"Scale jobs: all {graduates:,} graduates have applied.")
    # Written in bulk, past the services that drop the public search cache.
    jobs_public_cache_invalidate()
    return ScaleJobsResult(
        rounds=len(round_ids),
        posts=len(post_of),
        graduates=everyone.count(),
        graduates_created=created,
        applications=applications.count(),
        preferences=Preference.objects.filter(application__in=applications).count(),
        seconds=time.perf_counter() - started,
    )
