from django.urls import include, path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("courses/<int:course_id>/enrol/", views.enrol, name="enrol"),
    path("courses/<int:course_id>/quiz/", views.quiz_start, name="quiz_start"),
    path("quiz-attempts/<int:attempt_id>/", views.quiz_attempt, name="quiz_attempt"),
    path("lessons/<int:lesson_id>/checkpoint/", views.checkpoint_answer, name="checkpoint_answer"),
    path("anomalies/", views.anomalies, name="anomalies"),
    path("events/", include("training.urls_events")),
    path("assign/", include("training.urls_assign")),
]
