from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.generic import RedirectView

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from api.urls import api
from core import views as core_views

# Language-neutral endpoints: machines call these, so they carry no language prefix.
urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("documents/", include(wagtaildocs_urls)),
]

urlpatterns += i18n_patterns(
    # The admin's own login form is replaced by allauth's, which is rate-limited and asks for MFA.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="wagtailadmin_login_redirect",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("accounts/", include("allauth.urls")),
    path("me/", include("accounts.urls")),
    path("regions/", include("regions.urls")),
    path("learning/", include("training.urls")),
    path("jobs/", include("jobs.urls")),
    path("", include("training.urls_public")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
