from django.urls import path

from . import views_profile as views

urlpatterns = [
    path("", views.profile, name="profile"),
    path("edit/", views.profile_edit, name="profile_edit"),
    path("privacy/", views.privacy_notice, name="privacy_notice"),
    path("documents/upload/", views.document_upload_view, name="document_upload"),
    path("documents/<int:document_id>/", views.document_download, name="document_download"),
    path(
        "documents/<int:document_id>/delete/",
        views.document_delete_view,
        name="document_delete",
    ),
    path("my-data/", views.my_data_download, name="my_data_download"),
    path("delete-account/", views.account_delete_view, name="account_delete"),
    path("reveal/<int:profile_id>/", views.id_reveal, name="id_reveal"),
]
