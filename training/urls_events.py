"""Training events, under /<lang>/learning/events/ in the "training" namespace (no namespace of its own)."""

from django.urls import path

from . import views_events as views

urlpatterns = [
    path("<int:event_id>/register/", views.register, name="event_register"),
    path("<int:event_id>/cancel/", views.cancel, name="event_cancel"),
    path("<int:event_id>/calendar.ics", views.calendar, name="event_calendar"),
    path("<int:event_id>/check-in/", views.check_in, name="event_check_in"),
    path("<int:event_id>/roster/", views.roster, name="event_roster"),
    path(
        "<int:event_id>/roster/<int:registration_id>/attended/",
        views.roster_mark,
        name="event_roster_mark",
    ),
    path("<int:event_id>/code/", views.code_screen, name="event_code_screen"),
    path("<int:event_id>/code.json", views.code_json, name="event_code_json"),
]
