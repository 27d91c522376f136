"""Creating a round's posts from a CSV or XLSX file, with a dry run and a row-by-row report.

The file is read with the cadre import's reader (training.services.imports.import_rows: the
format decided by content, CSV in UTF-8 with or without BOM, or GBK; XLSX read-only), every
row is checked (`post_import_validate`) and only a file without a single error is written
(`post_import_commit`, one transaction, which checks the file again).

Columns, in any order, Chinese or English headers (only the village code is required):
村代码/village_code, 人数/headcount (1), 岗位名称/title, 最低学历/min_education, 全日制/full_time,
专业代码/majors (codes separated by ;), 大专年龄上限 … 博士年龄上限 / max_age_junior_college …
max_age_doctor, 户籍限制/hometown_restriction, 方言/dialects (separated by ;),
月补贴（元）/monthly_subsidy_yuan, 服务期（月）/term_months, 岗位描述/description.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from regions.models import Region
from training.services.imports import (
    ImportFileError,
    ImportInvalid,
    ImportReport,
    RowError,
    import_table,
)

from ..choices import Dialect, EducationLevel, HometownRestriction
from ..models import DEFAULT_POST_TITLE, Major, Post, RecruitmentRound
from ..selectors.posts import jobs_public_cache_invalidate
from .posts import post_field_errors, post_round_editable, village_problem
from .rounds import _require_manager

__all__ = [
    "TEMPLATE_HEADERS",
    "ImportFileError",
    "ImportInvalid",
    "PostImportReport",
    "post_import_commit",
    "post_import_template_csv",
    "post_import_validate",
]

MAX_POST_ROWS = 5_000
AGE_COLUMNS = {
    "max_age_junior_college": EducationLevel.JUNIOR_COLLEGE,
    "max_age_bachelor": EducationLevel.BACHELOR,
    "max_age_master": EducationLevel.MASTER,
    "max_age_doctor": EducationLevel.DOCTOR,
}
# The template's headers, in order: the Chinese one first, the English key second.
TEMPLATE_HEADERS = (
    ("村代码", "village_code"),
    ("人数", "headcount"),
    ("岗位名称", "title"),
    ("最低学历", "min_education"),
    ("全日制", "full_time"),
    ("专业代码", "majors"),
    ("大专年龄上限", "max_age_junior_college"),
    ("本科年龄上限", "max_age_bachelor"),
    ("硕士年龄上限", "max_age_master"),
    ("博士年龄上限", "max_age_doctor"),
    ("户籍限制", "hometown_restriction"),
    ("方言", "dialects"),
    ("月补贴（元）", "monthly_subsidy_yuan"),
    ("服务期（月）", "term_months"),
    ("岗位描述", "description"),
)
COLUMNS = tuple(key for _zh, key in TEMPLATE_HEADERS)
HEADER_ALIASES = {
    **dict(TEMPLATE_HEADERS),
    **{key: key for key in COLUMNS},
    "村（社区）代码": "village_code",
    "村居代码": "village_code",
    "地区代码": "village_code",
    "village code": "village_code",
    "village": "village_code",
    "招聘人数": "headcount",
    "岗位": "title",
    "学历": "min_education",
    "是否全日制": "full_time",
    "full-time": "full_time",
    "专业": "majors",
    "major codes": "majors",
    "户籍要求": "hometown_restriction",
    "月补贴": "monthly_subsidy_yuan",
    "月补贴(元)": "monthly_subsidy_yuan",
    "monthly subsidy": "monthly_subsidy_yuan",
    "subsidy": "monthly_subsidy_yuan",
    "服务期": "term_months",
    "服务期(月)": "term_months",
    "term": "term_months",
    "描述": "description",
}
EDUCATION_WORDS = {
    **{v: v for v in EducationLevel.values},
    "大专": EducationLevel.JUNIOR_COLLEGE,
    "专科": EducationLevel.JUNIOR_COLLEGE,
    "大专及以上": EducationLevel.JUNIOR_COLLEGE,
    "本科": EducationLevel.BACHELOR,
    "本科及以上": EducationLevel.BACHELOR,
    "硕士": EducationLevel.MASTER,
    "硕士研究生": EducationLevel.MASTER,
    "研究生": EducationLevel.MASTER,
    "博士": EducationLevel.DOCTOR,
    "博士研究生": EducationLevel.DOCTOR,
}
YES_WORDS = {"是", "要求", "y", "yes", "true", "1"}
NO_WORDS = {"否", "不要求", "不限", "n", "no", "false", "0"}
HOMETOWN_WORDS = {
    **{v: v for v in HometownRestriction.values},
    "": HometownRestriction.NONE,
    "不限": HometownRestriction.NONE,
    "无": HometownRestriction.NONE,
    "本市": HometownRestriction.SAME_CITY,
    "同市": HometownRestriction.SAME_CITY,
    "本县": HometownRestriction.SAME_COUNTY,
    "本县区": HometownRestriction.SAME_COUNTY,
    "本县(区)": HometownRestriction.SAME_COUNTY,
    "本县（区）": HometownRestriction.SAME_COUNTY,
    "本区": HometownRestriction.SAME_COUNTY,
    "同县": HometownRestriction.SAME_COUNTY,
}
DIALECT_WORDS = {
    **{v: v for v in Dialect.values},
    "粤语": Dialect.CANTONESE,
    "广府话": Dialect.CANTONESE,
    "白话": Dialect.CANTONESE,
    "客家话": Dialect.HAKKA,
    "客家": Dialect.HAKKA,
    "潮汕话": Dialect.TEOCHEW,
    "潮州话": Dialect.TEOCHEW,
    "雷州话": Dialect.LEIZHOU,
    "其他": Dialect.OTHER,
}
LIST_SPLIT = re.compile(r"[;；,，、\s]+")


@dataclass
class PostRow:
    line: int
    cells: dict[str, str]
    village: Region | None = None
    post: Post | None = None
    majors: list[Major] = field(default_factory=list)


class PostImportReport(ImportReport):
    @property
    def headcount(self) -> int:
        return sum(r.post.headcount for r in self.rows if r.post is not None)


def post_import_validate(*, round: RecruitmentRound, actor, data: bytes) -> PostImportReport:
    """Read and check the whole file; write nothing. Raises ImportFileError if it cannot be read."""
    _require_manager(actor, round=round)
    table = import_table(data, aliases=HEADER_ALIASES)
    if "village_code" not in table.index:
        raise ImportFileError(
            _(
                "Line %(line)d, the header, has no village code column (村代码 or village_code). "
                "Download the template to see the columns."
            )
            % {"line": table.header_line},
            line=table.header_line,
        )
    table.check_body(empty_message=_("The file has a header but no posts."), max_rows=MAX_POST_ROWS)
    headers = table.headers(COLUMNS)
    rows = [
        PostRow(line=n, cells={c: table.value(cells, c) for c in table.index})
        for n, cells in table.body
    ]
    report = PostImportReport(rows=rows, encoding=table.encoding, headers=headers)
    report.errors = _check_rows(round=round, rows=rows, headers=headers)
    return report


def _check_rows(*, round: RecruitmentRound, rows: list[PostRow], headers) -> list[RowError]:
    errors: list[RowError] = []

    def error(row: PostRow, column: str, message: str) -> None:
        errors.append(RowError(line=row.line, column=headers.get(column, ""), message=message))

    codes = {r.cells.get("village_code", "") for r in rows} - {""}
    villages = {v.code: v for v in Region.objects.filter(code__in=codes)}
    existing = set(Post.objects.filter(round=round).values_list("village__code", flat=True))
    major_codes = {
        code for r in rows for code in LIST_SPLIT.split(r.cells.get("majors", "")) if code
    }
    majors = {m.code: m for m in Major.objects.filter(code__in=major_codes)}
    first_line: dict[str, int] = {}

    for row in rows:
        cell = row.cells.get
        post = Post(round=round, title=cell("title", "") or DEFAULT_POST_TITLE)
        # The village.
        code = cell("village_code", "")
        if not code:
            error(row, "village_code", _("This column is required."))
        elif code not in villages:
            error(
                row,
                "village_code",
                _("There is no region with the code %(code)s.") % {"code": code},
            )
        else:
            village = villages[code]
            problem = village_problem(round, village)
            if problem:
                error(row, "village_code", problem)
            elif code in first_line:
                error(
                    row,
                    "village_code",
                    _("%(name)s already appears on line %(line)d.")
                    % {"name": village.name, "line": first_line[code]},
                )
            elif code in existing:
                error(
                    row,
                    "village_code",
                    _("This round already has a post at %(name)s.") % {"name": village.name},
                )
            else:
                first_line[code] = row.line
                row.village = village
                post.village = village
                post.region_path = village.path
        # Whole numbers.
        for column, attr, default in (
            ("headcount", "headcount", 1),
            ("term_months", "service_term_months", 24),
        ):
            text = cell(column, "")
            if not text:
                setattr(post, attr, default)
            elif re.fullmatch(r"\d{1,4}(\.0+)?", text):
                setattr(post, attr, int(Decimal(text)))
            else:
                error(row, column, _("“%(value)s” is not a whole number.") % {"value": text})
                setattr(post, attr, default)
        # Education and full time.
        education = cell("min_education", "")
        if not education:
            post.min_education = EducationLevel.JUNIOR_COLLEGE
        elif education.lower() in EDUCATION_WORDS:
            post.min_education = EDUCATION_WORDS[education.lower()]
        else:
            error(
                row,
                "min_education",
                _("“%(value)s” is not an education level: write 大专, 本科, 硕士 or 博士.")
                % {"value": education},
            )
        full_time = cell("full_time", "").lower()
        if not full_time or full_time in YES_WORDS:
            post.full_time_required = True
        elif full_time in NO_WORDS:
            post.full_time_required = False
        else:
            error(row, "full_time", _("Write 是 (yes) or 否 (no)."))
        # Majors.
        for major_code in LIST_SPLIT.split(cell("majors", "")):
            if not major_code:
                continue
            if major_code in majors:
                row.majors.append(majors[major_code])
            else:
                error(
                    row,
                    "majors",
                    _("There is no major with the code %(code)s in the catalogue.")
                    % {"code": major_code},
                )
        # Age limits.
        ages = {}
        for column, level in AGE_COLUMNS.items():
            text = cell(column, "")
            if not text:
                continue
            if re.fullmatch(r"\d{1,3}(\.0+)?", text):
                ages[level.value] = int(Decimal(text))
            else:
                error(row, column, _("“%(value)s” is not a whole number.") % {"value": text})
        post.max_age_by_level = ages
        # Hometown restriction and dialects.
        hometown = cell("hometown_restriction", "")
        if hometown.lower() in HOMETOWN_WORDS:
            post.hometown_restriction = HOMETOWN_WORDS[hometown.lower()]
        else:
            error(
                row,
                "hometown_restriction",
                _("“%(value)s” is not a hometown restriction: write 不限, 本市 or 本县.")
                % {"value": hometown},
            )
        dialects = []
        for word in LIST_SPLIT.split(cell("dialects", "")):
            if not word:
                continue
            if word.lower() in DIALECT_WORDS:
                dialects.append(DIALECT_WORDS[word.lower()])
            else:
                error(
                    row,
                    "dialects",
                    _("“%(value)s” is not a dialect we know: write 粤语, 客家话, 潮汕话 or 雷州话.")
                    % {"value": word},
                )
        post.dialects = sorted(set(dialects))
        # Money and text.
        subsidy = cell("monthly_subsidy_yuan", "").replace(",", "").replace("，", "")
        subsidy = subsidy.removesuffix("元").strip()
        post.monthly_subsidy_fen = 0
        if subsidy:
            try:
                yuan = Decimal(subsidy)
            except InvalidOperation:
                yuan = None
            if yuan is None or not yuan.is_finite() or yuan != yuan.quantize(Decimal("0.01")):
                error(
                    row,
                    "monthly_subsidy_yuan",
                    _("“%(value)s” is not an amount in yuan (e.g. 3500 or 3500.50).")
                    % {"value": cell("monthly_subsidy_yuan", "")},
                )
            else:
                post.monthly_subsidy_fen = int(yuan * 100)
        post.description = cell("description", "")
        # The rules every post obeys, reported against the column they came from.
        field_columns = {
            "title": "title",
            "headcount": "headcount",
            "service_term_months": "term_months",
            "monthly_subsidy_fen": "monthly_subsidy_yuan",
            "max_age_by_level": "max_age_bachelor",
            "min_education": "min_education",
            "hometown_restriction": "hometown_restriction",
            "dialects": "dialects",
        }
        already = {e.column for e in errors if e.line == row.line}
        for name, messages in post_field_errors(post).items():
            column = field_columns.get(name, "")
            if headers.get(column, "") in already:
                continue
            for message in messages:
                error(row, column, message)
        row.post = post
    errors.sort(key=lambda e: e.line)
    return errors


@transaction.atomic
def post_import_commit(*, round: RecruitmentRound, actor, data: bytes) -> list[Post]:
    """Check the file again and, if every row is valid, create all its posts in one transaction."""
    post_round_editable(round)
    report = post_import_validate(round=round, actor=actor, data=data)
    if not report.ok:
        raise ImportInvalid(report)
    created = Post.objects.bulk_create([row.post for row in report.rows])
    through = Post.majors.through
    through.objects.bulk_create(
        [
            through(post_id=post.pk, major_id=major.pk)
            for post, row in zip(created, report.rows, strict=True)
            for major in row.majors
        ]
    )
    transaction.on_commit(jobs_public_cache_invalidate)
    return created


def post_import_template_csv() -> bytes:
    """An empty file with the Chinese headers, UTF-8 with a BOM so that Excel opens it correctly."""
    header = ",".join(zh for zh, _key in TEMPLATE_HEADERS)
    return ("\ufeff" + header + "\r\n").encode()
