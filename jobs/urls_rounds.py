from django.urls import path

from . import views_rounds

# Under /<lang>/jobs/hr/ (with the HR work pages of jobs/urls_hr.py).
urlpatterns = [
    path("rounds/", views_rounds.hr_rounds, name="hr_rounds"),
    path("rounds/new/", views_rounds.hr_round_create, name="hr_round_create"),
    path("rounds/<int:round_id>/", views_rounds.hr_round_detail, name="hr_round_detail"),
    path("rounds/<int:round_id>/edit/", views_rounds.hr_round_edit, name="hr_round_edit"),
    path("rounds/<int:round_id>/advance/", views_rounds.hr_round_advance, name="hr_round_advance"),
    path("rounds/<int:round_id>/posts/new/", views_rounds.hr_post_create, name="hr_post_create"),
    path("rounds/<int:round_id>/posts/import/", views_rounds.hr_post_import, name="hr_post_import"),
    path(
        "rounds/<int:round_id>/posts/import/confirm/",
        views_rounds.hr_post_import_confirm,
        name="hr_post_import_confirm",
    ),
    path(
        "rounds/<int:round_id>/posts/import/template.csv",
        views_rounds.hr_post_import_template,
        name="hr_post_import_template",
    ),
    path(
        "rounds/<int:round_id>/posts/township/",
        views_rounds.hr_posts_for_township,
        name="hr_posts_for_township",
    ),
    path(
        "rounds/<int:round_id>/announcement/",
        views_rounds.hr_announcement_generate,
        name="hr_announcement_generate",
    ),
    path("posts/<int:post_id>/edit/", views_rounds.hr_post_edit, name="hr_post_edit"),
]
