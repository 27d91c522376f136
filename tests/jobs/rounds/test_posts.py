"""Posts: one at a time, one for every uncovered village of a township, and from a file."""

import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

import pytest
from openpyxl import Workbook

from jobs.choices import Dialect, EducationLevel, HometownRestriction, RoundStage
from jobs.models import DEFAULT_POST_TITLE, Major, Post
from jobs.services.post_import import (
    ImportFileError,
    ImportInvalid,
    post_import_commit,
    post_import_template_csv,
    post_import_validate,
)
from jobs.services.posts import post_create, post_update, posts_for_township
from tests.factories import region
from tests.jobs.builders import MEIXIAN, TIANHE, make_post, make_round, villages_of

from .conftest import place_operator

TOWN = "441403001"  # 新城办事处街道: five villages
V1, V2, V3 = "441403001001", "441403001002", "441403001003"


def post_data(**overrides):
    data = {
        "village": region(V1),
        "title": "",
        "headcount": 2,
        "min_education": EducationLevel.BACHELOR,
        "full_time_required": True,
        "majors": list(Major.objects.filter(code__in=["120402", "080901"])),
        "max_age_by_level": {"bachelor": 30, "master": 35},
        "hometown_restriction": HometownRestriction.SAME_COUNTY,
        "dialects": [Dialect.HAKKA],
        "monthly_subsidy_fen": 350000,
        "service_term_months": 36,
        "description": "负责村级公共服务站的日常运营。",
    }
    data.update(overrides)
    return data


# --- one post --------------------------------------------------------------------------------------


def test_a_post_at_a_village_of_the_round(hr_meixian, draft_round):
    post = post_create(round=draft_round, actor=hr_meixian, data=post_data())

    post.refresh_from_db()
    assert post.title == DEFAULT_POST_TITLE
    assert post.region_path == region(V1).path
    assert sorted(m.code for m in post.majors.all()) == ["080901", "120402"]
    assert (post.headcount, post.monthly_subsidy_fen, post.monthly_subsidy_yuan) == (
        2,
        350000,
        3500,
    )
    assert post.max_age_by_level == {"bachelor": 30, "master": 35}


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"village": None}, "village", "Choose the village"),
        ({"village": "tianhe"}, "village", "is not in 梅县区"),
        ({"village": "town"}, "village", "a post is at a village"),
        ({"headcount": 0}, "headcount", "from 1 to 99"),
        ({"max_age_by_level": {"bachelor": 12}}, "max_age_by_level", "from 18 to 60"),
        ({"max_age_by_level": {"phd": 30}}, "max_age_by_level", "Unknown degree level"),
        ({"dialects": ["klingon"]}, "dialects", "from the list"),
        ({"service_term_months": 0}, "service_term_months", "from 1 to 120"),
        ({"monthly_subsidy_fen": 100_000_01}, "monthly_subsidy_fen", "between 0 and 100,000"),
        ({"min_education": "primary"}, "min_education", "minimum education"),
    ],
)
def test_bad_posts_are_refused_with_a_reason(hr_meixian, draft_round, overrides, field, text):
    if overrides.get("village") == "tianhe":
        overrides["village"] = villages_of(TIANHE)[0]
    if overrides.get("village") == "town":
        overrides["village"] = region(TOWN)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        post_create(round=draft_round, actor=hr_meixian, data=post_data(**overrides))
    assert any(text in m for m in exc.value.message_dict[field]), exc.value.message_dict
    assert not Post.objects.exists()


def test_one_post_per_village_and_round(hr_meixian, draft_round):
    post_create(round=draft_round, actor=hr_meixian, data=post_data())
    with translation.override("en"), pytest.raises(ValidationError, match="already has a post"):
        post_create(round=draft_round, actor=hr_meixian, data=post_data())
    assert Post.objects.count() == 1


def test_posts_stop_changing_once_applications_close(hr_meixian, regions):
    round = make_round(MEIXIAN, stage=RoundStage.ELIGIBILITY_REVIEW)
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="until applications close"),
    ):
        post_create(round=round, actor=hr_meixian, data=post_data())
    post = make_post(round, region(V2))
    with pytest.raises(ValidationError):
        post_update(post=post, actor=hr_meixian, data={"headcount": 3})


def test_another_county_cannot_add_or_change_posts(hr_tianhe, draft_round):
    with pytest.raises(PermissionDenied):
        post_create(round=draft_round, actor=hr_tianhe, data=post_data())
    post = make_post(draft_round, region(V2))
    with pytest.raises(PermissionDenied):
        post_update(post=post, actor=hr_tianhe, data={"headcount": 3})


def test_update_changes_requirements_but_not_the_village(hr_meixian, draft_round):
    post = post_create(round=draft_round, actor=hr_meixian, data=post_data())
    post_update(
        post=post,
        actor=hr_meixian,
        data={"headcount": 4, "majors": [], "village": region(V3), "dialects": []},
    )
    post.refresh_from_db()
    assert (post.headcount, post.village.code, post.dialects) == (4, V1, [])
    assert not post.majors.exists()


# --- one post for every uncovered village ---------------------------------------------------------


def test_posts_for_a_township_skip_covered_villages_and_existing_posts(hr_meixian, draft_round):
    villages = villages_of(TOWN)
    assert len(villages) == 5
    # Village 1 has an operator in post (from an earlier round); village 2 already has a post.
    earlier = make_round(MEIXIAN, stage=RoundStage.CLOSED, name="2025 年招聘")
    place_operator(make_post(earlier, villages[0]))
    make_post(draft_round, villages[1])

    created = posts_for_township(
        round=draft_round,
        township=region(TOWN),
        actor=hr_meixian,
        data={
            "headcount": 1,
            "monthly_subsidy_fen": 300000,
            "majors": list(Major.objects.filter(code="120402")),
        },
    )

    assert sorted(p.village.code for p in created) == [v.code for v in villages[2:]]
    for post in Post.objects.filter(pk__in=[p.pk for p in created]):
        assert post.monthly_subsidy_fen == 300000
        assert post.region_path == post.village.path
        assert [m.code for m in post.majors.all()] == ["120402"]
    # Again: nothing left to add.
    assert posts_for_township(round=draft_round, township=region(TOWN), actor=hr_meixian) == []


def test_a_left_operator_does_not_cover_the_village(hr_meixian, draft_round):
    villages = villages_of(TOWN)
    earlier = make_round(MEIXIAN, stage=RoundStage.CLOSED, name="2025 年招聘")
    placement = place_operator(make_post(earlier, villages[0]))
    placement.status = "left"
    placement.save()
    created = posts_for_township(round=draft_round, township=region(TOWN), actor=hr_meixian)
    assert villages[0].code in {p.village.code for p in created}


def test_posts_for_township_needs_a_township_of_the_round(hr_meixian, draft_round):
    with pytest.raises(ValidationError):
        posts_for_township(round=draft_round, township=region(MEIXIAN), actor=hr_meixian)
    tianhe_town = region(villages_of(TIANHE)[0].parent.code)
    with pytest.raises(ValidationError):
        posts_for_township(round=draft_round, township=tianhe_town, actor=hr_meixian)
    assert not Post.objects.exists()


# --- from a file ----------------------------------------------------------------------------------


HEADER = "村代码,人数,岗位名称,最低学历,全日制,专业代码,本科年龄上限,户籍限制,方言,月补贴（元）,服务期（月）,岗位描述"
GOOD = [
    f"{V1},1,,本科,是,120402;080901,30,本县,客家话,3500,36,程江社区",
    f'{V2},2,党群服务专员,大专,否,,,不限,,"3,200.50",24,',
    f"{V3},,,,,,,,,,,",
]


def csv_bytes(rows, header=HEADER, encoding="utf-8-sig") -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode(encoding)


def xlsx_bytes(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_valid_file_is_checked_without_writing_then_imported(hr_meixian, draft_round):
    report = post_import_validate(round=draft_round, actor=hr_meixian, data=csv_bytes(GOOD))
    assert report.ok, report.errors
    assert len(report.rows) == 3 and report.headcount == 4
    assert not Post.objects.exists()  # a dry run

    created = post_import_commit(round=draft_round, actor=hr_meixian, data=csv_bytes(GOOD))
    assert len(created) == 3
    p1, p2, p3 = (Post.objects.get(village__code=c) for c in (V1, V2, V3))
    assert (p1.title, p1.min_education, p1.full_time_required) == (
        DEFAULT_POST_TITLE,
        "bachelor",
        True,
    )
    assert sorted(m.code for m in p1.majors.all()) == ["080901", "120402"]
    assert (p1.max_age_by_level, p1.hometown_restriction, p1.dialects) == (
        {"bachelor": 30},
        "same_county",
        ["hakka"],
    )
    assert (p1.monthly_subsidy_fen, p1.service_term_months, p1.description) == (
        350000,
        36,
        "程江社区",
    )
    assert (p2.title, p2.headcount, p2.full_time_required, p2.monthly_subsidy_fen) == (
        "党群服务专员",
        2,
        False,
        320050,
    )
    assert (p3.headcount, p3.min_education, p3.service_term_months) == (1, "junior_college", 24)
    assert all(p.region_path for p in (p1, p2, p3))


def test_every_bad_row_is_reported_by_line_and_nothing_is_written(hr_meixian, draft_round):
    make_post(draft_round, region("441403001004"))
    rows = [
        f"{V1},1,,本科,是,,,,,3500,36,",  # line 2: fine
        f"{V2},0,,小学,也许,999999,12,外省,火星话,三千,36,",  # line 3: many problems
        f"{villages_of(TIANHE)[0].code},1,,,,,,,,,,",  # line 4: another county
        f"{V1},1,,,,,,,,,,",  # line 5: twice in the file
        "441403001004,1,,,,,,,,,,",  # line 6: already a post
        "441403001,1,,,,,,,,,,",  # line 7: a township
        "123,1,,,,,,,,,,",  # line 8: unknown code
        ",1,,,,,,,,,,",  # line 9: no code
    ]
    with translation.override("en"):
        report = post_import_validate(round=draft_round, actor=hr_meixian, data=csv_bytes(rows))
    by_line = {}
    for e in report.errors:
        by_line.setdefault(e.line, []).append((e.column, e.message))
    assert 2 not in by_line
    columns3 = {c for c, _m in by_line[3]}
    assert {
        "人数",
        "最低学历",
        "全日制",
        "专业代码",
        "本科年龄上限",
        "户籍限制",
        "方言",
        "月补贴（元）",
    } <= columns3
    assert any("is not in 梅县区" in m for _c, m in by_line[4])
    assert any("already appears on line 2" in m for _c, m in by_line[5])
    assert any("already has a post" in m for _c, m in by_line[6])
    assert any("a post is at a village" in m for _c, m in by_line[7])
    assert any("no region with the code 123" in m for _c, m in by_line[8])
    assert any("required" in m for _c, m in by_line[9])
    with pytest.raises(ImportInvalid):
        post_import_commit(round=draft_round, actor=hr_meixian, data=csv_bytes(rows))
    assert Post.objects.count() == 1  # only the one made above


def test_an_xlsx_workbook_with_english_headers_and_numeric_cells(hr_meixian, draft_round):
    data = xlsx_bytes(
        [
            [
                "village_code",
                "headcount",
                "min_education",
                "majors",
                "monthly_subsidy_yuan",
                "dialects",
            ],
            [int(V1), 2, "master", "120402", 4200.5, "cantonese;hakka"],
            [float(V2), 1.0, "博士", None, 3000, None],
        ]
    )
    report = post_import_validate(round=draft_round, actor=hr_meixian, data=data)
    assert report.ok, report.errors
    assert report.encoding == "xlsx"
    post_import_commit(round=draft_round, actor=hr_meixian, data=data)
    p1 = Post.objects.get(village__code=V1)
    assert (p1.headcount, p1.min_education, p1.monthly_subsidy_fen, p1.dialects) == (
        2,
        "master",
        420050,
        ["cantonese", "hakka"],
    )
    assert Post.objects.get(village__code=V2).min_education == "doctor"


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"", "empty"),
        (b"PK\x03\x04 not really a zip", "cannot be opened"),
        (b"\xd0\xcf\x11\xe0 old excel", "old Excel file"),
        ("名字,人数\r\n张三,1\r\n".encode(), "no village code column"),
        (f"{HEADER}\r\n".encode(), "no posts"),
        (b"\xff\xfe\x00\x00\x81\x30garbage\xff", "cannot be read"),
    ],
)
def test_malformed_files_are_refused_with_a_clear_reason(hr_meixian, draft_round, data, text):
    with translation.override("en"), pytest.raises(ImportFileError) as exc:
        post_import_validate(round=draft_round, actor=hr_meixian, data=data)
    assert text in exc.value.message


def test_import_respects_scope_and_stage(hr_tianhe, hr_meixian, regions):
    round = make_round(MEIXIAN, stage=RoundStage.SCORING)
    with pytest.raises(PermissionDenied):
        post_import_validate(round=round, actor=hr_tianhe, data=csv_bytes(GOOD))
    with pytest.raises(ValidationError):
        post_import_commit(round=round, actor=hr_meixian, data=csv_bytes(GOOD))
    assert not Post.objects.exists()


def test_the_template_reads_back_as_a_header(hr_meixian, draft_round):
    template = post_import_template_csv()
    assert template.startswith("\ufeff村代码,人数".encode())
    with pytest.raises(ImportFileError, match="no posts"), translation.override("en"):
        post_import_validate(round=draft_round, actor=hr_meixian, data=template)
