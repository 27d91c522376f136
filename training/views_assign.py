"""Assigning courses, following a run, the overdue list, and the import of cadre accounts.

For training editors, HR officers (within their region scope) and administrators; anyone else
gets a 404, as for every other HR page. Under /<lang>/learning/assign/.
"""

import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models.functions import Lower
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from accounts.scope import get_in_scope_or_404, scope_regions, staff_scope_role
from core.uploads import ImportFileForm, PendingUploads
from regions.forms import RegionField
from regions.models import Region
from regions.selectors import region_ancestors

from .choices import AssignmentStatus
from .models import Assignment, AssignmentNotice, CoursePage, LearningPathPage
from .services.assignments import (
    RegionCount,
    assignment_create,
    assignment_rerun,
    assignment_visible_to,
    assignments_visible_to,
    can_assign,
    can_assign_in,
    overdue_counts_by_child,
    overdue_enrollments,
)
from .services.imports import (
    MAX_FILE_BYTES,
    ImportFileError,
    ImportInvalid,
    cadre_import_commit,
    cadre_import_validate,
)

OVERDUE_PER_PAGE = 50
RECENT_ASSIGNMENTS = 20
# An uploaded file waits here for the confirm step, under a random name, for a day at most.
CADRE_UPLOADS = PendingUploads(
    folder="cadre-imports", session_key="training_cadre_import", max_bytes=MAX_FILE_BYTES
)
EMAIL_SPLIT = re.compile(r"[\s,;，；、]+")


def _assigner_or_404(request) -> None:
    if not can_assign(request.user):
        raise Http404


# --- assigning -------------------------------------------------------------------------------------


class AssignForm(forms.Form):
    target = forms.ChoiceField(label=gettext_lazy("Course or learning path"))
    region = RegionField(
        label=gettext_lazy("Every cadre of this region"),
        required=False,
        help_text=gettext_lazy("All active cadres whose unit lies in this region or below it."),
    )
    emails = forms.CharField(
        label=gettext_lazy("Or these people"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off", "spellcheck": "false"}),
        help_text=gettext_lazy(
            "E-mail addresses of their accounts, one per line or separated by commas."
        ),
    )
    due_date = forms.DateField(
        label=gettext_lazy("Due date"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.people: list[User] = []
        courses = (
            CoursePage.objects.live()
            .filter(locale__language_code=settings.LANGUAGE_CODE)
            .order_by("title")
        )
        paths = (
            LearningPathPage.objects.live()
            .filter(locale__language_code=settings.LANGUAGE_CODE)
            .order_by("title")
        )
        self.fields["target"].choices = [
            ("", "—"),
            (_("Courses"), [(f"course:{c.pk}", c.title) for c in courses]),
            (_("Learning paths"), [(f"path:{p.pk}", p.title) for p in paths]),
        ]

    def clean_region(self):
        region = self.cleaned_data.get("region")
        if region is not None and not can_assign_in(self.user, region):
            raise forms.ValidationError(_("This region is outside your scope."))
        return region

    def clean_emails(self):
        emails = sorted(
            {e.lower() for e in EMAIL_SPLIT.split(self.cleaned_data.get("emails", "")) if e}
        )
        if not emails:
            return []
        found = list(
            User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
        )
        unknown = sorted(set(emails) - {u.email.lower() for u in found})
        if unknown:
            raise forms.ValidationError(
                _("No account has these addresses: %(emails)s") % {"emails": "、".join(unknown)}
            )
        self.people = found
        return emails

    def clean(self):
        cleaned = super().clean()
        if (
            "region" in cleaned
            and "emails" in cleaned
            and (cleaned["region"] is None) == (not cleaned["emails"])
        ):
            raise forms.ValidationError(
                _("Choose a region, or list people by e-mail address: one of the two.")
            )
        return cleaned

    def target_page(self) -> dict:
        kind, _sep, pk = self.cleaned_data["target"].partition(":")
        if kind == "course":
            return {"course": CoursePage.objects.get(pk=pk)}
        return {"path": LearningPathPage.objects.get(pk=pk)}


FIELD_FOR_ERROR = {
    "target": "target",
    "region": "region",
    "people": "emails",
    "due_date": "due_date",
}


@login_required
def assign(request):
    _assigner_or_404(request)
    form = AssignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = assignment_create(
                by=request.user,
                region=form.cleaned_data["region"],
                user_ids=[u.pk for u in form.people],
                due_date=form.cleaned_data["due_date"],
                **form.target_page(),
            )
        except ValidationError as exc:
            for key, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(FIELD_FOR_ERROR.get(key), error)
        else:
            messages.success(
                request,
                _("The assignment is running in the background. This page shows its progress."),
            )
            return redirect("training:assign_detail", assignment_id=assignment.pk)
    recent = assignments_visible_to(request.user).order_by("-created_at")[:RECENT_ASSIGNMENTS]
    return render(request, "training/assign/assign.html", {"form": form, "recent": recent})


def _assignment_or_404(request, assignment_id: int) -> Assignment:
    _assigner_or_404(request)
    assignment = get_object_or_404(
        Assignment.objects.select_related("course", "path", "region", "created_by"),
        pk=assignment_id,
    )
    if not assignment_visible_to(request.user, assignment):
        raise Http404
    return assignment


def _progress(assignment: Assignment) -> dict:
    finished = assignment.status in (AssignmentStatus.DONE, AssignmentStatus.FAILED)
    percent = (
        100
        if assignment.status == AssignmentStatus.DONE
        else (int(assignment.processed * 100 / assignment.total) if assignment.total else 0)
    )
    return {
        "status": assignment.status,
        "status_label": str(assignment.get_status_display()),
        "total": assignment.total,
        "processed": assignment.processed,
        "percent": percent,
        "created_enrollments": assignment.created_enrollments,
        "error": assignment.error,
        "finished": finished,
    }


@login_required
@never_cache
def assign_detail(request, assignment_id: int):
    assignment = _assignment_or_404(request, assignment_id)
    context = {
        "assignment": assignment,
        "target": assignment.course or assignment.path,
        "progress": _progress(assignment),
        "notified": AssignmentNotice.objects.filter(assignment=assignment).count(),
        "can_rerun": assignment.status in (AssignmentStatus.DONE, AssignmentStatus.FAILED),
    }
    return render(request, "training/assign/detail.html", context)


@login_required
@never_cache
@require_GET
def assign_progress(request, assignment_id: int):
    assignment = _assignment_or_404(request, assignment_id)
    return JsonResponse(_progress(assignment))


@login_required
@require_POST
def assign_rerun(request, assignment_id: int):
    assignment = _assignment_or_404(request, assignment_id)
    try:
        assignment_rerun(by=request.user, assignment=assignment)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The assignment runs again: only what is missing is added."))
    return redirect("training:assign_detail", assignment_id=assignment.pk)


# --- overdue ---------------------------------------------------------------------------------------


def _scope_roots(user: User, role: str) -> list[Region]:
    regions = scope_regions(user, role=role)
    if regions is None:
        return list(Region.objects.filter(parent__isnull=True))
    kept: list[Region] = []
    for region in sorted(regions, key=lambda r: r.path):
        if not kept or not region.path.startswith(kept[-1].path):
            kept.append(region)
    return kept


@login_required
@never_cache
def overdue(request):
    role = staff_scope_role(request.user)
    if role is None:
        raise Http404
    today = timezone.localdate()
    enrollments = overdue_enrollments(viewer=request.user, today=today)
    code = request.GET.get("region", "").strip()
    roots = _scope_roots(request.user, role)
    region = None
    if code:
        region = get_in_scope_or_404(
            Region.objects.all(), request.user, role=role, region_field="", code=code
        )
    elif len(roots) == 1:
        region = roots[0]
    if region is not None:
        counts = overdue_counts_by_child(overdue=enrollments, parent=region)
        listing = enrollments.filter(user__home_region__path__startswith=region.path)
        ancestors = [
            a for a in region_ancestors(region=region) if any(r.contains(a) for r in roots)
        ]
    else:
        counts = [
            RegionCount(
                region=r,
                count=enrollments.filter(user__home_region__path__startswith=r.path).count(),
            )
            for r in roots
        ]
        listing = enrollments
        ancestors = []
    listing = listing.select_related("user", "user__home_region", "course").order_by(
        "due_date", "user_id", "pk"
    )
    page = Paginator(listing, OVERDUE_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "region": region,
        "ancestors": ancestors,
        "counts": counts,
        "page_obj": page,
        "today": today,
        "total": page.paginator.count,
    }
    return render(request, "training/assign/overdue.html", context)


# --- importing cadre accounts ------------------------------------------------------------------------


@login_required
@never_cache
def cadre_import(request):
    _assigner_or_404(request)
    form = ImportFileForm(request.POST or None, request.FILES or None)
    context = {"form": form, **CADRE_UPLOADS.context()}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(MAX_FILE_BYTES + 1)
        try:
            report = cadre_import_validate(by=request.user, data=data)
        except ImportFileError as exc:
            form.add_error("file", exc.message)
        else:
            token = CADRE_UPLOADS.store(request, data, upload.name) if report.ok else None
            context.update(CADRE_UPLOADS.context(report, filename=upload.name, token=token))
    return render(request, "training/assign/import.html", context)


@login_required
@require_POST
def cadre_import_confirm(request):
    _assigner_or_404(request)
    token = request.POST.get("token", "")
    loaded = CADRE_UPLOADS.load(request, token)
    if loaded is None:
        messages.error(
            request, _("That upload has expired or was already imported. Upload the file again.")
        )
        return redirect("training:cadre_import")
    data, filename = loaded
    try:
        users = cadre_import_commit(
            by=request.user, data=data, base_url=request.build_absolute_uri("/")[:-1]
        )
    except ImportFileError as exc:
        CADRE_UPLOADS.forget(request, token)
        messages.error(request, exc.message)
        return redirect("training:cadre_import")
    except ImportInvalid as exc:
        # Something changed since the dry run (for example an address got an account): show why.
        CADRE_UPLOADS.forget(request, token)
        context = {"form": ImportFileForm(), **CADRE_UPLOADS.context(exc.report, filename=filename)}
        return render(request, "training/assign/import.html", context, status=200)
    CADRE_UPLOADS.forget(request, token)
    messages.success(
        request,
        _(
            "%(count)d cadre accounts were created. Each person has been sent an invitation to activate it."
        )
        % {"count": len(users)},
    )
    return redirect("training:cadre_import")


@login_required
@require_GET
def cadre_import_template(request):
    """An empty CSV with the Chinese headers, UTF-8 with a BOM so that Excel opens it correctly."""
    _assigner_or_404(request)
    header = "姓名,邮箱,手机,单位,地区代码,职务\r\n"
    response = HttpResponse(("\ufeff" + header).encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cadre-import-template.csv"'
    return response
