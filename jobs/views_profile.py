"""The graduate profile pages, documents, the graduate's data rights, and HR's ID reveal.

Thin: rules are in jobs.services.profiles / documents / personal_data, access decisions in
jobs.selectors.profiles.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from allauth.account.decorators import reauthentication_required

from accounts.audit import audit_record, audit_retention_days
from accounts.choices import AuditAction

from .choices import Dialect
from .crypto import personal_decrypt
from .forms_profile import AccountDeleteForm, DocumentUploadForm, GraduateProfileForm
from .models import GraduateDocument, Placement
from .selectors.profiles import (
    document_for_download_or_404,
    hr_region_for_profile,
    profile_for_hr_or_404,
    profile_of,
)
from .services.documents import document_delete, document_upload
from .services.personal_data import (
    KEPT_APPLICATION_STATUSES,
    account_delete,
    personal_data_export,
)
from .services.profiles import graduate_profile_save, profile_consents_needed


def _private(response):
    """Personal data: never cached by the browser or anything in between."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


def _apply_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
@require_GET
def profile(request):
    graduate_profile = profile_of(user=request.user)
    if graduate_profile is None:
        return redirect("jobs:profile_edit")
    return _profile_page(request, graduate_profile, DocumentUploadForm())


def _profile_page(request, graduate_profile, upload_form, status=200):
    documents = list(graduate_profile.documents.all())
    return _private(
        render(
            request,
            "jobs/profile/profile.html",
            {
                "profile": graduate_profile,
                "documents": documents,
                "upload_form": upload_form,
                "dialect_labels": [
                    Dialect(d).label for d in graduate_profile.dialects if d in Dialect.values
                ],
            },
            status=status,
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    graduate_profile = profile_of(user=request.user)
    needed = profile_consents_needed(user=request.user)
    form = GraduateProfileForm(
        request.POST or None, profile=graduate_profile, consents_needed=needed
    )
    if request.method == "POST" and form.is_valid():
        try:
            graduate_profile_save(user=request.user, data=form.cleaned_data, request=request)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("jobs:profile")
    return _private(
        render(
            request,
            "jobs/profile/profile_edit.html",
            {"form": form, "profile": graduate_profile, "creating": graduate_profile is None},
        )
    )


@login_required
@require_POST
def document_upload_view(request):
    graduate_profile = profile_of(user=request.user)
    if graduate_profile is None:
        return redirect("jobs:profile_edit")
    form = DocumentUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document_upload(
                profile=graduate_profile,
                kind=form.cleaned_data["kind"],
                uploaded_file=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The document is uploaded."))
            return redirect("jobs:profile")
    return _profile_page(request, graduate_profile, form, status=400)


@login_required
@require_POST
def document_delete_view(request, document_id: int):
    document = get_object_or_404(GraduateDocument, pk=document_id, profile__user=request.user)
    document_delete(document=document)
    messages.success(request, _("The document is deleted."))
    return redirect("jobs:profile")


@login_required
@require_GET
def document_download(request, document_id: int):
    document, as_hr = document_for_download_or_404(user=request.user, document_id=document_id)
    if as_hr:
        audit_record(
            action=AuditAction.DOCUMENT_DOWNLOAD,
            request=request,
            target=document,
            subject_user_id=document.profile.user_id,
            region=hr_region_for_profile(hr_user=request.user, profile=document.profile),
            detail={"kind": document.kind},
        )
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{document.kind}-{document.pk}.{document.extension}",
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return _private(response)


@require_GET
def privacy_notice(request):
    return render(
        request,
        "jobs/profile/privacy_notice.html",
        {
            "privacy_version": settings.PRIVACY_NOTICE_VERSION,
            "consent_version": settings.SENSITIVE_CONSENT_VERSION,
            "audit_days": audit_retention_days(),
        },
    )


@login_required
@require_POST
def my_data_download(request):
    archive = personal_data_export(user=request.user, request=request)
    response = FileResponse(
        archive,
        as_attachment=True,
        filename=f"my-data-{timezone.localdate():%Y%m%d}.zip",
        content_type="application/zip",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return _private(response)


@login_required
@require_http_methods(["GET", "POST"])
def account_delete_view(request):
    if request.method == "POST":
        return _account_delete_confirmed(request)
    return _account_delete_page(request, AccountDeleteForm())


def _account_delete_page(request, form, status=200):
    user = request.user
    keeps = (
        Placement.objects.filter(user=user).exists()
        or user.applications.filter(status__in=KEPT_APPLICATION_STATUSES).exists()
    )
    return _private(
        render(
            request,
            "jobs/profile/account_delete.html",
            {"form": form, "keeps": keeps},
            status=status,
        )
    )


@reauthentication_required
def _account_delete_confirmed(request):
    form = AccountDeleteForm(request.POST)
    if not form.is_valid():
        return _account_delete_page(request, form, status=400)
    mode = account_delete(user=request.user, request=request)
    logout(request)
    if mode == "deleted":
        messages.success(request, _("Your account and all its data are deleted."))
    else:
        messages.success(
            request,
            _(
                "Your personal data is erased. The records the law requires us to keep "
                "(placements, offers and the audit log) remain, without your name or contact."
            ),
        )
    return redirect("/")


@login_required
@require_POST
def id_reveal(request, profile_id: int):
    # Scope first, so that someone out of scope is not even asked for the password.
    graduate_profile = profile_for_hr_or_404(hr_user=request.user, profile_id=profile_id)
    return _id_reveal_confirmed(request, graduate_profile)


@reauthentication_required
def _id_reveal_confirmed(request, graduate_profile):
    audit_record(
        action=AuditAction.ID_NUMBER_REVEAL,
        request=request,
        target=graduate_profile,
        subject_user_id=graduate_profile.user_id,
        region=hr_region_for_profile(hr_user=request.user, profile=graduate_profile),
    )
    response = render(
        request,
        "jobs/profile/id_reveal.html",
        {
            "profile": graduate_profile,
            "id_number": personal_decrypt(graduate_profile.id_number_encrypted),
        },
    )
    response["Pragma"] = "no-cache"
    return _private(response)
