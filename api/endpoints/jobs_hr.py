"""HR endpoints of recruitment rounds: the applications list, eligibility decisions, scores.

HR officers only (403 for anyone else); a round or application outside the caller's region
scope is 404, never 403. Fields a client may not set (status, round, user, …) are ignored.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from accounts.choices import Role
from accounts.scope import get_in_scope_or_404, has_scope
from api.auth import token_or_session
from api.schemas import ErrorOut
from jobs.models import Application, RecruitmentRound
from jobs.selectors.hr import (
    CHOICE_ANY,
    PER_PAGE,
    SORT_SUBMITTED,
    ApplicationFilters,
    round_applications_page,
)
from jobs.services.hr import eligibility_confirm, eligibility_reject
from jobs.services.scores import (
    MAX_FILE_BYTES,
    ImportFileError,
    ImportInvalid,
    scores_import_commit,
    scores_import_validate,
)
from regions.models import Region

router = Router(tags=["jobs"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _require_hr(request) -> None:
    if not has_scope(request.user, role=Role.HR_OFFICER):
        raise PermissionDenied


def _round(request, round_id: int) -> RecruitmentRound:
    _require_hr(request)
    return get_in_scope_or_404(
        RecruitmentRound.objects.select_related("region"), request.user, pk=round_id
    )


class PreferenceOut(Schema):
    rank: int
    post_id: int
    village: str
    village_code: str


class HRApplicationOut(Schema):
    id: int
    name: str
    id_number_masked: str
    hometown: str
    hometown_code: str
    education_level: str
    major: str
    first_choice: PreferenceOut | None
    preferences: list[PreferenceOut]
    status: str
    written_score: Decimal | None
    interview_score: Decimal | None
    total_score: Decimal | None
    submitted_at: datetime.datetime


class HRApplicationPage(Schema):
    count: int
    page: int
    pages: int
    per_page: int
    results: list[HRApplicationOut]


def _application_out(application: Application, total=None) -> dict:
    profile = getattr(application.applicant, "graduate_profile", None)
    prefs = [
        {
            "rank": p.rank,
            "post_id": p.post_id,
            "village": p.post.village.name,
            "village_code": p.post.village.code,
        }
        for p in application.page_preferences
    ]
    return {
        "id": application.pk,
        "name": profile.real_name if profile else application.applicant.get_full_name(),
        "id_number_masked": profile.id_number_masked if profile else "",
        "hometown": profile.hometown.name if profile else "",
        "hometown_code": profile.hometown.code if profile else "",
        "education_level": profile.education_level if profile else "",
        "major": profile.major.name if profile and profile.major_id else "",
        "first_choice": prefs[0] if prefs else None,
        "preferences": prefs,
        "status": application.status,
        "written_score": application.written_score,
        "interview_score": application.interview_score,
        "total_score": total,
        "submitted_at": application.submitted_at,
    }


@router.get(
    "/hr/rounds/{round_id}/applications",
    response={200: HRApplicationPage, **ERRORS},
    auth=token_or_session,
    summary="A round's applications for HR: filtered, sorted, 50 per page",
)
def hr_round_applications(
    request,
    round_id: int,
    post: int | None = None,
    choice: str = CHOICE_ANY,
    township: str = "",
    status: str = "",
    eligibility: str = "",
    sort: str = SORT_SUBMITTED,
    page: int = 1,
):
    """Filters: `post` (with `choice=any|first`), `township` (region code), `status`,
    `eligibility=pending|confirmed|rejected`; `sort=submitted|-submitted|name|score`.
    Unknown filter values are ignored."""
    round_ = _round(request, round_id)
    filters = ApplicationFilters.from_params(
        {
            "post": post,
            "choice": choice,
            "township": township,
            "status": status,
            "eligibility": eligibility,
            "sort": sort,
        }
    )
    township_path = None
    if filters.township:
        region = Region.objects.filter(
            code=filters.township, path__startswith=round_.region.path
        ).first()
        township_path = region.path if region else f"{round_.region.path}-none/"
    page_obj = round_applications_page(
        round_=round_,
        filters=filters,
        page=page,
        township_path=township_path,
        all_preferences=True,
    )
    return {
        "count": page_obj.paginator.count,
        "page": page_obj.number,
        "pages": page_obj.paginator.num_pages,
        "per_page": PER_PAGE,
        "results": [_application_out(a, a.total) for a in page_obj.object_list],
    }


class EligibilityIn(Schema):
    decision: str
    reason: str = ""


class EligibilityOut(Schema):
    id: int
    status: str
    reason: str
    reviewed_at: datetime.datetime | None


@router.post(
    "/hr/applications/{application_id}/eligibility",
    response={200: EligibilityOut, **ERRORS},
    auth=token_or_session,
    summary="Confirm an application's eligibility, or reject it with a reason",
)
def hr_application_eligibility(request, application_id: int, payload: EligibilityIn):
    _require_hr(request)
    application = get_in_scope_or_404(
        Application.objects.select_related("round__region", "applicant"),
        request.user,
        region_field="round__region",
        pk=application_id,
    )
    if payload.decision == "confirm":
        application = eligibility_confirm(
            application=application, actor=request.user, request=request
        )
    elif payload.decision == "reject":
        application = eligibility_reject(
            application=application, actor=request.user, reason=payload.reason, request=request
        )
    else:
        return Status(
            422,
            {
                "code": "validation_error",
                "message": _("Some fields are not valid."),
                "errors": [{"field": "decision", "message": _("Use “confirm” or “reject”.")}],
            },
        )
    return {
        "id": application.pk,
        "status": application.status,
        "reason": application.eligibility_reason,
        "reviewed_at": application.reviewed_at,
    }


class RowErrorOut(Schema):
    line: int
    column: str
    message: str


class ScoreImportOut(Schema):
    dry_run: bool
    rows: int
    imported: int
    errors: list[RowErrorOut]


class ScoreImportErrorOut(Schema):
    code: str
    message: str
    rows: int = 0
    errors: list[RowErrorOut] = []


@router.post(
    "/hr/rounds/{round_id}/scores",
    response={
        200: ScoreImportOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ScoreImportErrorOut,
    },
    auth=token_or_session,
    summary="Import exam and interview scores from a CSV or XLSX file (all rows or none)",
)
def hr_round_scores(request, round_id: int, file: File[UploadedFile], dry_run: Form[bool] = False):
    """Columns 身份证号/id_number (or 报名编号/application_id), 笔试成绩/written,
    面试成绩/interview. With `dry_run` nothing is written. If any row has a problem, nothing
    is imported and every row error is returned (422)."""
    round_ = _round(request, round_id)
    if file.size > MAX_FILE_BYTES:
        return Status(
            422,
            {
                "code": "invalid_file",
                "message": _("The file is larger than 5 MB. Split it into several files."),
            },
        )
    data = file.read(MAX_FILE_BYTES + 1)
    try:
        if dry_run:
            report = scores_import_validate(round_=round_, data=data)
            if not report.ok:
                raise ImportInvalid(report)
        else:
            report = scores_import_commit(
                round_=round_, data=data, actor=request.user, request=request
            )
    except ImportFileError as exc:
        return Status(422, {"code": "invalid_file", "message": exc.message})
    except ImportInvalid as exc:
        return Status(
            422,
            {
                "code": "row_errors",
                "message": _("%(count)d problems found — nothing was imported.")
                % {"count": len(exc.report.errors)},
                "rows": len(exc.report.rows),
                "errors": [
                    {"line": e.line, "column": e.column, "message": e.message}
                    for e in exc.report.errors
                ],
            },
        )
    return {
        "dry_run": dry_run,
        "rows": len(report.rows),
        "imported": 0 if dry_run else len(report.rows),
        "errors": [],
    }
