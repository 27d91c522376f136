"""Exam and interview scores: entered by hand for one application, or imported from a file.

The import follows the cadre import (training/services/imports.py, whose file reading it
reuses): the whole file is read and every row checked first (a dry run writes nothing), and a
file is imported only when not a single row has an error — then all rows in one transaction.
The commit checks the file again; it never trusts an earlier dry run.

Columns, any order, Chinese or English headers: 身份证号/id_number or 报名编号/application_id
(one of them per row), 笔试成绩/written, 面试成绩/interview. An ID number is matched through
its keyed hash (the profile's id_number_hash), never by decrypting anything.

An eligible application becomes SCORED when its scores are set; a SCORED one gets its scores
corrected without a new status. Scores are 0–100 with at most two decimals, accepted only
while the round is at the scoring stage.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from training.services.imports import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportFileError,
    ImportInvalid,
    ImportReport,
    RowError,
    import_table,
)

from ..choices import ApplicationStatus, RoundStage
from ..crypto import personal_hash
from ..idnumber import id_number_mask, id_number_parse
from ..models import Application, GraduateProfile, RecruitmentRound
from .status import application_transition

__all__ = [
    "MAX_FILE_BYTES",
    "ImportFileError",
    "ImportInvalid",
    "ScoreImportReport",
    "ScoreRow",
    "score_parse",
    "score_set",
    "scores_import_commit",
    "scores_import_validate",
]

SCORE_STAGES = frozenset({RoundStage.SCORING})
SCORABLE = frozenset({ApplicationStatus.ELIGIBLE, ApplicationStatus.SCORED})
SCORE_MIN = Decimal("0")
SCORE_MAX = Decimal("100")
CENT = Decimal("0.01")

COLUMNS = ("id_number", "application_id", "written", "interview")
HEADER_ALIASES = {
    "身份证号": "id_number",
    "身份证号码": "id_number",
    "身份证": "id_number",
    "id number": "id_number",
    "id": "id_number",
    "报名编号": "application_id",
    "报名号": "application_id",
    "application id": "application_id",
    "application": "application_id",
    "笔试": "written",
    "笔试成绩": "written",
    "written": "written",
    "written exam": "written",
    "written score": "written",
    "面试": "interview",
    "面试成绩": "interview",
    "interview": "interview",
    "interview score": "interview",
}


# The headers of the template, as named in messages.
HEADER_NAMES = {
    "id_number": "身份证号/id_number",
    "application_id": "报名编号/application_id",
    "written": "笔试成绩/written",
    "interview": "面试成绩/interview",
}


def scoring_open(round_: RecruitmentRound) -> bool:
    return round_.stage in SCORE_STAGES


def _check_stage(round_: RecruitmentRound) -> None:
    if not scoring_open(round_):
        raise ValidationError(
            _(
                "Scores can be entered only at the stage “%(scoring)s”; this round is at “%(stage)s”."
            )
            % {
                "scoring": RoundStage.SCORING.label,
                "stage": round_.get_stage_display(),
            },
            code="stage",
        )


def score_parse(raw) -> Decimal:
    """A score from what was typed or read from a cell: 0–100, at most two decimals."""
    text = str(raw if raw is not None else "").strip().replace("，", ".")
    if not text:
        raise ValidationError(_("A score is required."), code="required")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(
            _("“%(value)s” is not a number.") % {"value": text[:20]}, code="not_numeric"
        ) from exc
    if not value.is_finite():
        raise ValidationError(
            _("“%(value)s” is not a number.") % {"value": text[:20]}, code="not_numeric"
        )
    if value < SCORE_MIN or value > SCORE_MAX:
        raise ValidationError(
            _("%(value)s is outside 0–100.") % {"value": text[:20]}, code="out_of_range"
        )
    if value != value.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ValidationError(
            _("At most two decimals (%(value)s).") % {"value": text[:20]}, code="decimals"
        )
    return value.quantize(CENT)


def _apply_scores(
    *, application: Application, written: Decimal, interview: Decimal, actor, request=None
) -> None:
    application.written_score = written
    application.interview_score = interview
    if application.status == ApplicationStatus.ELIGIBLE:
        application_transition(
            application=application,
            to_status=ApplicationStatus.SCORED,
            actor=actor,
            request=request,
            save_fields=("written_score", "interview_score"),
        )
    else:
        # A correction: the status stays SCORED; the graduate is not e-mailed again.
        application.save(update_fields=["written_score", "interview_score", "updated_at"])


@transaction.atomic
def score_set(*, application: Application, written, interview, actor, request=None) -> Application:
    """Set both scores of one application (by hand). Raises ValidationError naming the field."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("round__region", "applicant")
        .get(pk=application.pk)
    )
    _check_stage(application.round)
    if application.status not in SCORABLE:
        raise ValidationError(
            _("This application is “%(status)s”: only eligible applications get scores.")
            % {"status": application.get_status_display()},
            code="status",
        )
    errors = {}
    values = {}
    for name, raw in (("written_score", written), ("interview_score", interview)):
        try:
            values[name] = score_parse(raw)
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    _apply_scores(
        application=application,
        written=values["written_score"],
        interview=values["interview_score"],
        actor=actor,
        request=request,
    )
    return application


# --- import -------------------------------------------------------------------------------------


@dataclass
class ScoreRow:
    line: int
    id_number: str  # as written in the file; shown masked only
    application_id: str
    written_raw: str
    interview_raw: str
    written: Decimal | None = None
    interview: Decimal | None = None
    application: Application | None = None

    @property
    def id_masked(self) -> str:
        return id_number_mask(self.id_number) if self.id_number else ""

    @property
    def name(self) -> str:
        if self.application is None:
            return ""
        profile = getattr(self.application.applicant, "graduate_profile", None)
        return profile.real_name if profile else ""


class ScoreImportReport(ImportReport):
    @property
    def new_scored(self) -> int:
        return sum(
            1
            for r in self.rows
            if r.application is not None and r.application.status == ApplicationStatus.ELIGIBLE
        )


def scores_import_validate(*, round_: RecruitmentRound, data: bytes) -> ScoreImportReport:
    """Read and check the whole file against the round; write nothing.

    Raises ImportFileError when the file cannot be read at all (format, encoding, header).
    """
    table = import_table(data, aliases=HEADER_ALIASES)
    index, header_line = table.index, table.header_line
    missing = []
    if "id_number" not in index and "application_id" not in index:
        missing.append("身份证号/id_number (" + _("or") + " 报名编号/application_id)")
    missing += [HEADER_NAMES[name] for name in ("written", "interview") if name not in index]
    if missing:
        raise ImportFileError(
            _(
                "Line %(line)d, the header, lacks these columns: %(missing)s. Required: %(expected)s."
            )
            % {
                "line": header_line,
                "missing": "、".join(missing),
                "expected": "、".join(
                    HEADER_NAMES[c] for c in ("id_number", "written", "interview")
                ),
            },
            line=header_line,
        )
    table.check_body(empty_message=_("The file has a header but no scores."), max_rows=MAX_ROWS)
    value = table.value
    report = ScoreImportReport(encoding=table.encoding, headers=table.headers(COLUMNS))
    report.rows = [
        ScoreRow(
            line=n,
            id_number=value(cells, "id_number"),
            application_id=value(cells, "application_id"),
            written_raw=value(cells, "written"),
            interview_raw=value(cells, "interview"),
        )
        for n, cells in table.body
    ]
    report.errors = _check_rows(round_=round_, rows=report.rows, headers=report.headers)
    return report


def _check_rows(
    *, round_: RecruitmentRound, rows: list[ScoreRow], headers: dict[str, str]
) -> list[RowError]:
    errors: list[RowError] = []

    def error(row: ScoreRow, column: str, message: str) -> None:
        errors.append(RowError(line=row.line, column=headers.get(column, ""), message=message))

    # Resolve every ID number to its hash and every application id, then read in two queries.
    hashes: dict[int, str] = {}
    app_ids: dict[int, int] = {}
    for row in rows:
        if row.id_number:
            try:
                parsed = id_number_parse(row.id_number)
            except ValidationError as exc:
                error(row, "id_number", " ".join(exc.messages))
                continue
            hashes[row.line] = personal_hash(parsed.value)
        elif row.application_id:
            if row.application_id.isdigit():
                app_ids[row.line] = int(row.application_id)
            else:
                error(
                    row,
                    "application_id",
                    _("“%(value)s” is not an application number.")
                    % {"value": row.application_id[:20]},
                )
        else:
            error(row, "id_number", _("Give the ID number or the application number."))

    user_by_hash = dict(
        GraduateProfile.objects.filter(id_number_hash__in=set(hashes.values())).values_list(
            "id_number_hash", "user_id"
        )
    )
    applications = Application.objects.select_related(
        "round__region", "applicant__graduate_profile"
    )
    by_user = {
        a.applicant_id: a
        for a in applications.filter(round=round_, applicant_id__in=set(user_by_hash.values()))
    }
    by_id = {a.pk: a for a in applications.filter(pk__in=set(app_ids.values()))}

    first_line: dict[int, int] = {}
    for row in rows:
        application = None
        if row.line in hashes:
            user_id = user_by_hash.get(hashes[row.line])
            if user_id is None:
                error(row, "id_number", _("No graduate has this ID number."))
            else:
                application = by_user.get(user_id)
                if application is None:
                    error(row, "id_number", _("This graduate has not applied to this round."))
        elif row.line in app_ids:
            application = by_id.get(app_ids[row.line])
            if application is None or application.round_id != round_.pk:
                # Another round's number is reported like an unknown one: no existence leaks.
                application = None
                error(
                    row,
                    "application_id",
                    _("There is no application %(value)s in this round.")
                    % {"value": row.application_id},
                )
        if application is not None:
            if application.pk in first_line:
                error(
                    row,
                    "id_number" if row.id_number else "application_id",
                    _("This applicant already appears on line %(line)d.")
                    % {"line": first_line[application.pk]},
                )
            else:
                first_line[application.pk] = row.line
            if application.status not in SCORABLE:
                error(
                    row,
                    "id_number" if row.id_number else "application_id",
                    _("This application is “%(status)s”: only eligible applications get scores.")
                    % {"status": application.get_status_display()},
                )
            row.application = application
        for column, raw, attribute in (
            ("written", row.written_raw, "written"),
            ("interview", row.interview_raw, "interview"),
        ):
            try:
                setattr(row, attribute, score_parse(raw))
            except ValidationError as exc:
                error(row, column, " ".join(exc.messages))
    errors.sort(key=lambda e: e.line)
    return errors


@transaction.atomic
def scores_import_commit(
    *, round_: RecruitmentRound, data: bytes, actor, request=None
) -> ScoreImportReport:
    """Check the file again and, if every row is valid, set all the scores in one transaction."""
    round_ = RecruitmentRound.objects.select_for_update().get(pk=round_.pk)
    _check_stage(round_)
    report = scores_import_validate(round_=round_, data=data)
    if not report.ok:
        raise ImportInvalid(report)
    locked = set(
        Application.objects.select_for_update()
        .filter(pk__in=[r.application.pk for r in report.rows], status__in=SCORABLE)
        .values_list("pk", flat=True)
    )
    if len(locked) != len(report.rows):
        # Changed between the check and the lock (for example withdrawn): check again.
        report = scores_import_validate(round_=round_, data=data)
        if not report.ok:
            raise ImportInvalid(report)
    for row in report.rows:
        _apply_scores(
            application=row.application,
            written=row.written,
            interview=row.interview,
            actor=actor,
            request=request,
        )
    return report
