"""HR work screens of a round: applications, eligibility review, scores, export, public notice.

For HR officers whose scope holds the round (and administrators). Anonymous visitors are sent
to sign in; a signed-in user without an HR scope gets 403; an object outside the officer's
scope is reported as missing (404). Under /<lang>/jobs/hr/.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.choices import Role
from accounts.scope import filter_in_scope, get_in_scope_or_404, has_scope
from core.uploads import ImportFileForm, PendingUploads
from regions.models import Region

from .choices import ApplicationStatus
from .forms_hr import (
    ApplicationFilterForm,
    NoticeForm,
    PlacementForm,
    RejectForm,
    ScoreForm,
)
from .models import (
    Application,
    ExportJob,
    ExportStatus,
    GraduateDocument,
    Placement,
    Post,
    RecruitmentRound,
)
from .selectors.hr import (
    SORT_NAME,
    SORT_SCORE,
    SORT_SUBMITTED,
    SORT_SUBMITTED_OLDEST,
    ApplicationFilters,
    application_for_hr,
    post_applicants,
    round_applications_rows_page,
    round_filter_choices,
    total_score,
)
from .services.exports import (
    export_can_download,
    export_download_record,
    export_filename,
    export_start,
)
from .services.hr import (
    eligibility_confirm,
    eligibility_confirm_bulk,
    eligibility_reject,
    review_open,
)
from .services.notices import notice_candidates, notice_generate
from .services.placements import placement_next_statuses, placement_transition
from .services.scores import (
    MAX_FILE_BYTES,
    ImportFileError,
    ImportInvalid,
    score_set,
    scores_import_commit,
    scores_import_validate,
    scoring_open,
)

POST_APPLICANTS_PER_PAGE = 50
SCORE_UPLOADS = PendingUploads(
    folder="score-imports", session_key="jobs_score_import", max_bytes=MAX_FILE_BYTES
)


def _require_hr(request) -> None:
    if not has_scope(request.user, role=Role.HR_OFFICER):
        raise PermissionDenied


def _round_or_404(request, round_id: int) -> RecruitmentRound:
    _require_hr(request)
    return get_in_scope_or_404(
        RecruitmentRound.objects.select_related("region"), request.user, pk=round_id
    )


def _scoped_applications(request):
    return filter_in_scope(Application.objects.all(), request.user, region_field="round__region")


def _township_path(round_: RecruitmentRound, code: str) -> str | None:
    if not code:
        return None
    region = Region.objects.filter(code=code, path__startswith=round_.region.path).first()
    # An unknown township (or one outside the round) matches nothing rather than everything.
    return region.path if region is not None else f"{round_.region.path}-none/"


# --- the list of a round -------------------------------------------------------------------------


@login_required
@never_cache
@require_GET
def hr_applications(request, round_id: int):
    round_ = _round_or_404(request, round_id)
    filters = ApplicationFilters.from_params(request.GET)
    page_obj = round_applications_rows_page(
        round_=round_,
        filters=filters,
        page=request.GET.get("page"),
        township_path=_township_path(round_, filters.township),
    )
    params = filters.as_params()
    without_sort = {k: v for k, v in params.items() if k != "sort"}
    sort_links = [
        (key, label, "?" + urlencode({**without_sort, "sort": key}))
        for key, label in (
            (SORT_SUBMITTED, _("Newest first")),
            (SORT_SUBMITTED_OLDEST, _("Oldest first")),
            (SORT_NAME, _("Name")),
            (SORT_SCORE, _("Total score")),
        )
    ]
    return render(
        request,
        "jobs/hr/applications.html",
        {
            "round": round_,
            "filter_fields": _filter_fields(request.GET, round_),
            "filters": filters,
            "page_obj": page_obj,
            "query": urlencode(params),
            "sort_links": sort_links,
            "review_open": review_open(round_),
            "scoring_open": scoring_open(round_),
        },
    )


def _filter_fields(params, round_: RecruitmentRound) -> list[dict]:
    """The list's filters as (label, select) pairs: the labels and fixed choices of
    ApplicationFilterForm, the round's posts and townships from their cache, each select
    rendered in one format_html_join (the form's template rendering cost ~15 ms a page)."""
    dynamic = round_filter_choices(round_)
    fields = ApplicationFilterForm.base_fields
    out = []
    for name in ("post", "choice", "township", "status", "eligibility", "sort"):
        field = fields[name]
        if name == "post":
            choices = [("", _("All posts")), *dynamic["posts"]]
        elif name == "township":
            choices = [("", _("All townships")), *dynamic["townships"]]
        else:
            choices = field.choices
        selected = str(params.get(name) or "")
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) == selected else "", label)
                for key, label in choices
            ),
        )
        out.append(
            {
                "id": f"id_{name}",
                "label": field.label,
                "select": format_html(
                    '<select name="{}" id="id_{}">{}</select>', name, name, options
                ),
            }
        )
    return out


@login_required
@require_POST
def hr_eligibility(request, round_id: int):
    """Bulk confirmation of the ticked applications; each one not confirmed is listed."""
    round_ = _round_or_404(request, round_id)
    back = reverse("jobs:hr_applications", args=[round_.pk])
    query = request.POST.get("query", "")
    if query and re.fullmatch(r"[\w=&%+.\-]*", query):
        back = f"{back}?{query}"
    try:
        result = eligibility_confirm_bulk(
            round_=round_,
            application_ids=request.POST.getlist("applications"),
            actor=request.user,
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    if result.confirmed:
        messages.success(
            request,
            _("Eligibility confirmed for %(count)d applications.")
            % {"count": len(result.confirmed)},
        )
    for pk, problem in result.problems:
        messages.warning(
            request,
            _("Application %(id)d was not confirmed: %(problem)s") % {"id": pk, "problem": problem},
        )
    return redirect(back)


# --- one application -----------------------------------------------------------------------------


@login_required
@never_cache
def hr_application_detail(request, application_id: int):
    _require_hr(request)
    try:
        application = application_for_hr(
            application_id=application_id, queryset=_scoped_applications(request)
        )
    except Application.DoesNotExist as exc:
        raise Http404 from exc
    round_ = application.round
    reject_form = RejectForm()
    score_form = ScoreForm(
        initial={
            "written_score": application.written_score,
            "interview_score": application.interview_score,
        }
    )
    placement = (
        Placement.objects.select_related("village__parent")
        .filter(offer__application=application)
        .order_by("-pk")
        .first()
    )
    placement_form = (
        PlacementForm(statuses=placement_next_statuses(placement)) if placement else None
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                eligibility_confirm(application=application, actor=request.user, request=request)
                messages.success(request, _("Eligibility confirmed."))
                return redirect("jobs:hr_application_detail", application.pk)
            if action == "reject":
                reject_form = RejectForm(request.POST)
                if reject_form.is_valid():
                    eligibility_reject(
                        application=application,
                        actor=request.user,
                        reason=reject_form.cleaned_data["reason"],
                        request=request,
                    )
                    messages.success(request, _("The application was marked not eligible."))
                    return redirect("jobs:hr_application_detail", application.pk)
            elif action == "score":
                score_form = ScoreForm(request.POST)
                if score_form.is_valid():
                    score_set(
                        application=application,
                        written=score_form.cleaned_data["written_score"],
                        interview=score_form.cleaned_data["interview_score"],
                        actor=request.user,
                        request=request,
                    )
                    messages.success(request, _("Scores saved."))
                    return redirect("jobs:hr_application_detail", application.pk)
            elif action == "placement" and placement is not None:
                placement_form = PlacementForm(
                    request.POST, statuses=placement_next_statuses(placement)
                )
                if placement_form.is_valid():
                    placement = placement_transition(
                        placement=placement,
                        to_status=placement_form.cleaned_data["status"],
                        reason=placement_form.cleaned_data["reason"],
                        actor=request.user,
                        request=request,
                    )
                    messages.success(
                        request,
                        _("The placement is now “%(status)s”.")
                        % {"status": placement.get_status_display()},
                    )
                    return redirect("jobs:hr_application_detail", application.pk)
            else:
                return HttpResponse(status=400)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form = {"reject": reject_form, "placement": placement_form}.get(action, score_form)
                for name, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(name if name in form.fields else None, error)
            else:
                messages.error(request, " ".join(exc.messages))
                return redirect("jobs:hr_application_detail", application.pk)
    profile = getattr(application.applicant, "graduate_profile", None)
    documents = (
        GraduateDocument.objects.filter(profile=profile).order_by("kind", "-uploaded_at")
        if profile is not None
        else []
    )
    return render(
        request,
        "jobs/hr/application_detail.html",
        {
            "application": application,
            "round": round_,
            "profile": profile,
            "documents": documents,
            "preferences": list(application.preferences.all()),
            "events": list(application.events.all()),
            "total": total_score(application, round_),
            "reject_form": reject_form,
            "placement": placement,
            "placement_form": placement_form
            if placement_form and placement_form.fields["status"].choices
            else None,
            "score_form": score_form,
            "can_confirm": review_open(round_)
            and application.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.REJECTED),
            "can_reject": review_open(round_)
            and application.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.ELIGIBLE),
            "can_score": scoring_open(round_)
            and application.status in (ApplicationStatus.ELIGIBLE, ApplicationStatus.SCORED),
        },
        status=200 if request.method == "GET" else 422,
    )


# --- one post's applicants -------------------------------------------------------------------------


@login_required
@never_cache
@require_GET
def hr_post_applicants(request, post_id: int):
    _require_hr(request)
    post = get_in_scope_or_404(
        Post.objects.select_related("round__region", "village__parent"),
        request.user,
        region_field="round__region",
        pk=post_id,
    )
    include_closed = request.GET.get("closed") == "1"
    page_obj = Paginator(
        post_applicants(post=post, include_closed=include_closed), POST_APPLICANTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    offset = page_obj.start_index() - 1 if page_obj.object_list else 0
    return render(
        request,
        "jobs/hr/post_applicants.html",
        {
            "post": post,
            "round": post.round,
            "page_obj": page_obj,
            "offset": offset,
            "include_closed": include_closed,
        },
    )


# --- score import --------------------------------------------------------------------------------


def _import_context(round_, form, report=None, *, filename="", token=None) -> dict:
    return {
        "round": round_,
        "form": form,
        "scoring_open": scoring_open(round_),
        **SCORE_UPLOADS.context(report, filename=filename, token=token),
    }


@login_required
@never_cache
def hr_scores_import(request, round_id: int):
    """Upload → dry-run report → confirm (POST with `token`): all rows or none."""
    round_ = _round_or_404(request, round_id)
    if request.method == "POST" and "token" in request.POST:
        return _scores_import_confirm(request, round_)
    form = ImportFileForm(request.POST or None, request.FILES or None)
    context = _import_context(round_, form)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(MAX_FILE_BYTES + 1)
        try:
            report = scores_import_validate(round_=round_, data=data)
        except ImportFileError as exc:
            form.add_error("file", exc.message)
        else:
            token = (
                SCORE_UPLOADS.store(request, data, upload.name, round=round_.pk)
                if report.ok and scoring_open(round_)
                else None
            )
            context = _import_context(round_, form, report, filename=upload.name, token=token)
    return render(request, "jobs/hr/scores_import.html", context)


def _scores_import_confirm(request, round_):
    token = request.POST.get("token", "")
    loaded = SCORE_UPLOADS.load(request, token, round=round_.pk)
    back = redirect("jobs:hr_scores_import", round_.pk)
    if loaded is None:
        messages.error(
            request, _("That upload has expired or was already imported. Upload the file again.")
        )
        return back
    data, filename = loaded
    SCORE_UPLOADS.forget(request, token)
    try:
        report = scores_import_commit(round_=round_, data=data, actor=request.user, request=request)
    except ImportFileError as exc:
        messages.error(request, exc.message)
        return back
    except ImportInvalid as exc:
        context = _import_context(round_, ImportFileForm(), exc.report, filename=filename)
        return render(request, "jobs/hr/scores_import.html", context)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return back
    messages.success(
        request, _("Scores imported for %(count)d applications.") % {"count": len(report.rows)}
    )
    return redirect("jobs:hr_applications", round_.pk)


@login_required
@require_GET
def hr_scores_template(request, round_id: int):
    """An empty CSV with the Chinese headers, UTF-8 with a BOM so that Excel opens it correctly."""
    _round_or_404(request, round_id)
    header = "身份证号,笔试成绩,面试成绩\r\n"
    response = HttpResponse(("\ufeff" + header).encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="score-import-template.csv"'
    return response


# --- export --------------------------------------------------------------------------------------


@login_required
@never_cache
def hr_export(request, round_id: int):
    """GET: this round's recent exports; POST: start a new one and go to its status page."""
    round_ = _round_or_404(request, round_id)
    if request.method == "POST":
        job = export_start(round_=round_, actor=request.user, request=request)
        return redirect("jobs:hr_export_status", job.pk)
    jobs = ExportJob.objects.filter(round=round_).select_related("requested_by")[:10]
    return render(request, "jobs/hr/export.html", {"round": round_, "jobs": jobs})


def _export_or_404(request, export_id: int) -> ExportJob:
    _require_hr(request)
    job = (
        ExportJob.objects.select_related("round__region", "requested_by")
        .filter(pk=export_id)
        .first()
    )
    if job is None or not export_can_download(user=request.user, job=job):
        raise Http404
    return job


@login_required
@never_cache
@require_GET
def hr_export_status(request, export_id: int):
    job = _export_or_404(request, export_id)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "status": job.status,
                "done": job.done,
                "total": job.total,
                "percent": job.percent,
                "download": reverse("jobs:hr_export_download", args=[job.pk])
                if job.status == ExportStatus.DONE
                else None,
            }
        )
    return render(
        request,
        "jobs/hr/export_status.html",
        {"job": job, "round": job.round, "running": job.status in ("queued", "running")},
    )


@login_required
@never_cache
@require_GET
def hr_export_download(request, export_id: int):
    job = _export_or_404(request, export_id)
    if job.status != ExportStatus.DONE or not job.file:
        raise Http404
    export_download_record(job=job, actor=request.user, request=request)
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=export_filename(job),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- public notice -------------------------------------------------------------------------------


@login_required
@never_cache
def hr_notice_generate(request, round_id: int):
    round_ = _round_or_404(request, round_id)
    form = NoticeForm(request.POST or None, round_=round_)
    if request.method == "POST" and form.is_valid():
        try:
            page = notice_generate(
                round_=round_,
                actor=request.user,
                opens_on=form.cleaned_data["opens_on"],
                ends_on=form.cleaned_data["ends_on"],
                objection_contact=form.cleaned_data["objection_contact"],
                request=request,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(name if name in form.fields else None, error)
            else:
                form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The public notice was published with %(count)d people. It opens on %(date)s.")
                % {"count": len(page.entries), "date": page.opens_on.isoformat()},
            )
            return redirect("jobs:hr_notice_generate", round_.pk)
    candidates = list(notice_candidates(round_))
    return render(
        request,
        "jobs/hr/notice_generate.html",
        {
            "round": round_,
            "form": form,
            "candidates": candidates,
            "notices": round_.notice_pages.order_by("-first_published_at"),
        },
    )
