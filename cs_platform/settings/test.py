"""Test settings: the suite runs against DATABASE_URL / REDIS_URL when they are set
(CI points them at PostgreSQL and Redis), otherwise against SQLite."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests never need the hashed-manifest storage (it would require collectstatic first).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests that talk to a real worker set their own broker; everything else runs eagerly.
CELERY_TASK_ALWAYS_EAGER = True
LOGGING = {"version": 1, "disable_existing_loggers": False}
MEDIA_ROOT = BASE_DIR / "artifacts" / "test-media"  # noqa: F405
# Tests make many requests with one token in a second; tests/core/test_login_protection.py sets low rates.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute", "webhook": "100000/minute"},
}
