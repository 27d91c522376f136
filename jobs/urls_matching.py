"""HR pages of match runs (included under "hr/" in jobs/urls.py)."""

from django.urls import path

from . import views_matching as views

urlpatterns = [
    path("rounds/<int:round_id>/match-runs/", views.match_runs, name="hr_match_runs"),
    path("match-runs/compare/", views.match_compare, name="hr_match_compare"),
    path("match-runs/<int:run_id>/", views.match_run, name="hr_match_run"),
    path("match-runs/<int:run_id>/status/", views.match_run_status, name="hr_match_run_status"),
    path("match-runs/<int:run_id>/approve/", views.match_run_approve, name="hr_match_run_approve"),
    path("match-runs/<int:run_id>/restart/", views.match_run_restart, name="hr_match_run_restart"),
]
