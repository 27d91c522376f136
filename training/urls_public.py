"""Certificate URLs, mounted at the site root inside the language prefix (config/urls.py).

/verify/<code>/ is what the QR code on a certificate points at (without a language prefix:
LocaleMiddleware redirects it to /zh-hans/verify/<code>/ or /en/verify/<code>/).
"""

from django.urls import path

from . import views_certificates

app_name = "training_public"

urlpatterns = [
    path("verify/", views_certificates.verify_lookup, name="verify_lookup"),
    path("verify/<str:code>/", views_certificates.verify, name="verify"),
    # Lives with the learner's pages under /<lang>/learning/; training/urls.py has no such path.
    path(
        "learning/certificates/<str:code>/revoke/",
        views_certificates.revoke,
        name="certificate_revoke",
    ),
]
