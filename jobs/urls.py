from django.urls import include, path

app_name = "jobs"

# One module per subject, so that each can grow on its own.
urlpatterns = [
    path("", include("jobs.urls_public")),
    path("profile/", include("jobs.urls_profile")),
    path("applications/", include("jobs.urls_applications")),
    path("hr/", include("jobs.urls_rounds")),
    path("hr/", include("jobs.urls_hr")),
    path("hr/", include("jobs.urls_matching")),
]
