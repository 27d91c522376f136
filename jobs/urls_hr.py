from django.urls import path

from . import views_hr

# Under /<lang>/jobs/hr/ (with the rounds and posts pages of jobs/urls_rounds.py).
urlpatterns = [
    path(
        "rounds/<int:round_id>/applications/",
        views_hr.hr_applications,
        name="hr_applications",
    ),
    path(
        "rounds/<int:round_id>/applications/eligibility/",
        views_hr.hr_eligibility,
        name="hr_eligibility",
    ),
    path(
        "applications/<int:application_id>/",
        views_hr.hr_application_detail,
        name="hr_application_detail",
    ),
    path("posts/<int:post_id>/applicants/", views_hr.hr_post_applicants, name="hr_post_applicants"),
    path(
        "rounds/<int:round_id>/scores/import/", views_hr.hr_scores_import, name="hr_scores_import"
    ),
    path(
        "rounds/<int:round_id>/scores/template.csv",
        views_hr.hr_scores_template,
        name="hr_scores_template",
    ),
    path("rounds/<int:round_id>/export/", views_hr.hr_export, name="hr_export"),
    path("exports/<int:export_id>/", views_hr.hr_export_status, name="hr_export_status"),
    path(
        "exports/<int:export_id>/download/",
        views_hr.hr_export_download,
        name="hr_export_download",
    ),
    path("rounds/<int:round_id>/notice/", views_hr.hr_notice_generate, name="hr_notice_generate"),
]
