"""Assignments, the overdue list and the cadre import, under /<lang>/learning/assign/ in the
"training" namespace (no namespace of its own)."""

from django.urls import path

from . import views_assign as views

urlpatterns = [
    path("", views.assign, name="assign"),
    path("<int:assignment_id>/", views.assign_detail, name="assign_detail"),
    path("<int:assignment_id>/progress.json", views.assign_progress, name="assign_progress"),
    path("<int:assignment_id>/rerun/", views.assign_rerun, name="assign_rerun"),
    path("overdue/", views.overdue, name="assign_overdue"),
    path("import/", views.cadre_import, name="cadre_import"),
    path("import/confirm/", views.cadre_import_confirm, name="cadre_import_confirm"),
    path("import/template.csv", views.cadre_import_template, name="cadre_import_template"),
]
