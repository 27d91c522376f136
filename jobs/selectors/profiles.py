"""Who may see a graduate's profile and documents.

The owner always; an HR officer only when the graduate applied to a round of the officer's
region (an administrator: any round). Anyone else gets 404, so existence does not leak.
"""

from django.db.models import QuerySet
from django.http import Http404

from accounts.scope import filter_in_scope

from ..models import Application, GraduateDocument, GraduateProfile


def profile_of(*, user) -> GraduateProfile | None:
    if not user.is_authenticated:
        return None
    return (
        GraduateProfile.objects.select_related("hometown", "university", "major")
        .filter(user=user)
        .first()
    )


def applications_in_hr_scope(*, hr_user, applicant_id: int) -> QuerySet:
    """The applicant's applications to rounds that lie in the HR officer's scope."""
    return filter_in_scope(
        Application.objects.filter(applicant_id=applicant_id),
        hr_user,
        region_field="round__region",
    )


def hr_may_see_profile(*, hr_user, profile: GraduateProfile) -> bool:
    if not hr_user.is_authenticated or hr_user.pk == profile.user_id:
        return False
    return applications_in_hr_scope(hr_user=hr_user, applicant_id=profile.user_id).exists()


def profile_for_hr_or_404(*, hr_user, profile_id: int) -> GraduateProfile:
    profile = GraduateProfile.objects.select_related("user").filter(pk=profile_id).first()
    if profile is None or not hr_may_see_profile(hr_user=hr_user, profile=profile):
        raise Http404
    return profile


def document_for_download_or_404(*, user, document_id: int) -> tuple[GraduateDocument, bool]:
    """The document and whether the requester is HR (not the owner); 404 for anyone else."""
    document = (
        GraduateDocument.objects.select_related("profile").filter(pk=document_id).first()
        if user.is_authenticated
        else None
    )
    if document is None:
        raise Http404
    if document.profile.user_id == user.pk:
        return document, False
    if hr_may_see_profile(hr_user=user, profile=document.profile):
        return document, True
    raise Http404


def hr_region_for_profile(*, hr_user, profile: GraduateProfile):
    """The region of the in-scope round through which HR sees this profile (for the audit)."""
    application = (
        applications_in_hr_scope(hr_user=hr_user, applicant_id=profile.user_id)
        .select_related("round__region")
        .order_by("-submitted_at")
        .first()
    )
    return application.round.region if application else None
