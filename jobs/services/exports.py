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
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.choices import AuditAction, Role
from accounts.scope import region_in_scope

from ..models import Application, ExportJob, ExportStatus, Preference, RecruitmentRound
from ..selectors.hr import total_score

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


def _row(application: Application, round_: RecruitmentRound, max_preferences: int) -> list:
    profile = getattr(application.applicant, "graduate_profile", None)
    choices = {p.rank: p for p in application.preferences.all()}
    submitted = timezone.localtime(application.submitted_at).replace(tzinfo=None)
    total = total_score(application, round_)
    if profile is None:
        person = ["", "", "", None, "", "", "", "", "", "", "", None, ""]
    else:
        hometown = profile.hometown
        person = [
            profile.real_name,
            profile.id_number_masked,
            profile.get_gender_display(),
            profile.birth_date,
            profile.phone,
            hometown.name,
            hometown.parent.name if hometown.parent_id else "",
            profile.get_education_level_display(),
            _("yes") if profile.full_time else _("no"),
            profile.university_name,
            f"{profile.major.code} {profile.major.name}" if profile.major_id else "",
            profile.graduation_year,
            profile.get_political_status_display(),
        ]
    row = [
        application.pk,
        *person,
        application.get_status_display(),
        float(application.written_score) if application.written_score is not None else None,
        float(application.interview_score) if application.interview_score is not None else None,
        float(total) if total is not None else None,
        submitted,
    ]
    for rank in range(1, max_preferences + 1):
        pref = choices.get(rank)
        row.append(f"{pref.post.village.name} · {pref.post.title}" if pref else "")
    return row


def export_write(*, round_: RecruitmentRound, on_progress=None) -> tuple[bytes, int]:
    """The workbook of every application of the round (bytes) and how many rows it holds."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    applications = (
        Application.objects.filter(round=round_)
        .select_related(
            "applicant__graduate_profile__hometown__parent",
            "applicant__graduate_profile__major",
            "applicant__graduate_profile__university",
        )
        .prefetch_related(
            Prefetch(
                "preferences",
                queryset=Preference.objects.select_related("post__village").order_by("rank"),
            )
        )
        .order_by("submitted_at", "pk")
    )
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
    count = 0
    for application in applications.iterator(chunk_size=CHUNK):
        sheet.append(_row(application, round_, max_pref))
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
