"""Production: every secret and service comes from the environment; nothing defaults to a toy."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 30)
SECURE_CONTENT_TYPE_NOSNIFF = True

SECRET_KEY = env("DJANGO_SECRET_KEY")
PERSONAL_DATA_KEYS = env.list("PERSONAL_DATA_KEYS")
PERSONAL_DATA_HASH_KEY = env("PERSONAL_DATA_HASH_KEY")
