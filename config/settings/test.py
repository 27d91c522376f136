"""pytest: PostgreSQL and Redis when their URLs are set (CI), else SQLite and eager Celery."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-secret-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A real worker started by tests/conftest.py delivers to files; pytest itself uses locmem.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "test-media")  # noqa: F405
PRIVATE_STORAGE_ROOT = VAR_DIR / "test-private"  # noqa: F405
# In tests Celery stays eager unless a test starts a real worker (tests/conftest.py).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# Eager tasks would warm every region's search inside the request that missed; the warm tests
# turn it on themselves.
JOBS_PUBLIC_SEARCH_WARM = False
WAGTAILADMIN_BASE_URL = "http://testserver"
