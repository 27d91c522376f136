from django.urls import path

from . import views_applications as views

# Under /<lang>/jobs/applications/.
urlpatterns = [
    path("", views.my_applications, name="my_applications"),
    path("apply/<int:round_id>/", views.apply, name="apply"),
    path("<int:application_id>/", views.application_detail, name="application_detail"),
    path("<int:application_id>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("offers/<int:offer_id>/accept/", views.offer_accept, name="offer_accept"),
    path("offers/<int:offer_id>/decline/", views.offer_decline, name="offer_decline"),
]
