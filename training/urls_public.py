"""Certificate URLs, mounted at the site root inside the language prefix (config/urls.py).

/verify/<code>/ is what the QR code on a certificate points at (without a language prefix:
LocaleMiddleware redirects it to /zh-hans/verify/<code>/ or /en/verify/<code>/).
"""

from django.urls import path, re_path

from . import views, views_certificates

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
    # Lesson pages (home → course index → course → lesson) for signed-in learners, from the
    # cached page shell (training/lesson_page.py); every other page, and every miss, goes on to
    # Wagtail's own view.
    re_path(r"^((?:[\w\-]+/){3})$", views.page_or_cached_lesson, name="lesson_page"),
]
