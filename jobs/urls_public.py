from django.urls import path

from . import views_public

# Under /<lang>/jobs/: open rounds and the post search, for everyone.
urlpatterns = [
    path("", views_public.round_list, name="round_list"),
    path("rounds/<int:round_id>/", views_public.round_detail, name="round_detail"),
    path("posts/", views_public.post_list, name="post_list"),
    path("posts/<int:post_id>/", views_public.post_detail, name="post_detail"),
]
