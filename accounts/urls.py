from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("profile/", views.profile, name="profile"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("api-tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("region/", views.hr_overview, name="hr_overview"),
    path("region/<str:code>/", views.hr_overview, name="hr_region"),
    path("invite/", views.cadre_invite, name="cadre_invite"),
    path("activate/<uidb64>/<token>/", views.activate, name="activate"),
]
