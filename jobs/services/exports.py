"""The XLSX export of a round's applications, written in the background.

`export_start` records an ExportJob and the audit event (who, from where, how many rows —
never the data) and queues `jobs.tasks.export_applications`; `export_run` (in the worker)
streams the rows into an openpyxl write-only workbook in chunks, updating the job's progress,
and stores the file in private storage (outside the web root). Only the officer who asked, or
another HR officer whose scope holds the round, may download it (`export_can_download`), and
each download is audited too.

ID numbers appear masked (440524********0014); the full number is shown only through the
audited reveal on an application's page.
"""

import datetime
import io
import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.choices import AuditAction, Role
from accounts.scope import region_in_scope

from ..choices import ApplicationStatus, EducationLevel, Gender, PoliticalStatus
from ..models import Application, ExportJob, ExportStatus, Post, Preference, RecruitmentRound

CHUNK = 1000
PROGRESS_EVERY = 500
# Old finished exports are removed when a new one starts for the same round.
KEEP_DAYS = 7


def export_can_download(*, user, job: ExportJob) -> bool:
    if not user.is_authenticated:
        return False
    if job.requested_by_id == user.pk:
        return True
    return user.has_role(Role.ADMIN) or region_in_scope(user, job.round.region)


def _purge_old(round_: RecruitmentRound) -> None:
    cutoff = timezone.now() - datetime.timedelta(days=KEEP_DAYS)
    for job in ExportJob.objects.filter(round=round_, created_at__lt=cutoff):
        if job.file:
            job.file.delete(save=False)
        job.delete()


def export_start(*, round_: RecruitmentRound, actor, request=None) -> ExportJob:
    """Create the job, audit it and queue the work after the commit."""
    from ..tasks import export_applications

    _purge_old(round_)
    total = Application.objects.filter(round=round_).count()
    with transaction.atomic():
        job = ExportJob.objects.create(round=round_, requested_by=actor, total=total)
        audit_record(
            action=AuditAction.EXPORT,
            actor=actor,
            request=request,
            target=job,
            region=round_.region,
            detail={"round": round_.pk, "export": job.pk, "count": total, "step": "requested"},
        )
        transaction.on_commit(lambda: export_applications.delay(job.pk))
    return job


def _headers(max_preferences: int) -> list[str]:
    headers = [
        _("Application no."),
        _("Name"),
        _("ID number (masked)"),
        _("Gender"),
        _("Date of birth"),
        _("Mobile number"),
        _("Hometown"),
        _("Township of hometown"),
        _("Education"),
        _("Full-time"),
        _("University"),
        _("Major"),
        _("Graduation year"),
        _("Political status"),
        _("Status"),
        _("Written exam"),
        _("Interview"),
        _("Total score"),
        _("Submitted"),
    ]
    headers += [_("Choice %(rank)d") % {"rank": rank} for rank in range(1, max_preferences + 1)]
    return headers


PERSON_FIELDS = (
    "applicant__graduate_profile__real_name",
    "applicant__graduate_profile__id_number_masked",
    "applicant__graduate_profile__gender",
    "applicant__graduate_profile__birth_date",
    "applicant__graduate_profile__phone",
    "applicant__graduate_profile__hometown__name",
    "applicant__graduate_profile__hometown__parent__name",
    "applicant__graduate_profile__education_level",
    "applicant__graduate_profile__full_time",
    "applicant__graduate_profile__university__name",
    "applicant__graduate_profile__university_other",
    "applicant__graduate_profile__major__code",
    "applicant__graduate_profile__major__name",
    "applicant__graduate_profile__graduation_year",
    "applicant__graduate_profile__political_status",
)
APPLICATION_FIELDS = ("pk", "status", "written_score", "interview_score", "submitted_at")


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def export_write(*, round_: RecruitmentRound, on_progress=None) -> tuple[bytes, int]:
    """The workbook of every application of the round (bytes) and how many rows it holds.

    Rows are read as tuples (no model instances: 5,000 applications with ten preferences each
    would be 150,000 of them), a chunk of applications and then their preferences at a time.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    status_label = _labels(ApplicationStatus)
    gender_label = _labels(Gender)
    education_label = _labels(EducationLevel)
    political_label = _labels(PoliticalStatus)
    yes, no = _("yes"), _("no")
    weight_w = round_.weight_written / 100
    weight_i = round_.weight_interview / 100
    post_label = {
        pk: f"{village} · {title}"
        for pk, village, title in Post.objects.filter(round=round_).values_list(
            "pk", "village__name", "title"
        )
    }
    max_pref = max(
        round_.max_preferences,
        max(
            Preference.objects.filter(application__round=round_).values_list("rank", flat=True),
            default=0,
        ),
    )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Applications")[:31])
    bold = Font(bold=True)
    header_cells = []
    for text in _headers(max_pref):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)

    ids = list(
        Application.objects.filter(round=round_)
        .order_by("submitted_at", "pk")
        .values_list("pk", flat=True)
    )
    count = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = {
            values[0]: values
            for values in Application.objects.filter(pk__in=chunk).values_list(
                *APPLICATION_FIELDS, *PERSON_FIELDS
            )
        }
        choices: dict[int, dict[int, int]] = {}
        for application_id, rank, post_id in Preference.objects.filter(
            application_id__in=chunk
        ).values_list("application_id", "rank", "post_id"):
            choices.setdefault(application_id, {})[rank] = post_id
        for pk in chunk:
            values = rows.get(pk)
            if values is None:  # deleted meanwhile
                continue
            (
                _pk, status, written, interview, submitted,
                name, masked, gender, birth, phone, hometown, township, education,
                full_time, university, university_other, major_code, major_name,
                graduation_year, political,
            ) = values  # fmt: skip
            total = (
                float(round(written * weight_w + interview * weight_i, 2))
                if written is not None and interview is not None
                else None
            )
            row = [
                pk,
                name or "",
                masked or "",
                gender_label.get(gender, ""),
                birth,
                phone or "",
                hometown or "",
                township or "",
                education_label.get(education, ""),
                "" if full_time is None else (yes if full_time else no),
                university or university_other or "",
                f"{major_code} {major_name}" if major_code else "",
                graduation_year,
                political_label.get(political, ""),
                status_label.get(status, status),
                float(written) if written is not None else None,
                float(interview) if interview is not None else None,
                total,
                timezone.localtime(submitted).replace(tzinfo=None),
            ]
            ranks = choices.get(pk, {})
            row += [post_label.get(ranks.get(rank), "") for rank in range(1, max_pref + 1)]
            sheet.append(row)
            count += 1
            if on_progress is not None and count % PROGRESS_EVERY == 0:
                on_progress(count)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def export_run(*, export_id: int) -> ExportJob:
    """Write the file of one export job (in the worker). Idempotent once done."""
    job = ExportJob.objects.select_related("round__region", "requested_by").get(pk=export_id)
    if job.status == ExportStatus.DONE:
        return job
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, done=0)
    language = job.requested_by.preferred_language if job.requested_by else None

    def progress(done: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(done=done)

    try:
        with translation.override(language):
            data, count = export_write(round_=job.round, on_progress=progress)
    except Exception:
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, error="write failed", finished_at=timezone.now()
        )
        raise
    name = f"exports/round-{job.round_id}/{secrets.token_hex(16)}.xlsx"
    job.file.save(name, ContentFile(data), save=False)
    job.status = ExportStatus.DONE
    job.done = count
    job.total = count
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "status", "done", "total", "finished_at"])
    return job


def export_download_record(*, job: ExportJob, actor, request=None) -> None:
    audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        request=request,
        target=job,
        region=job.round.region,
        detail={"round": job.round_id, "export": job.pk, "count": job.total, "step": "download"},
    )


def export_filename(job: ExportJob) -> str:
    return f"round-{job.round_id}-applications-{timezone.localdate(job.created_at):%Y%m%d}.xlsx"
