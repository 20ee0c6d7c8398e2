"""Settings come from the environment; checked in fresh interpreters so each reads its own."""

import os
import secrets
import subprocess
import sys

from django.conf import settings


def _run(code: str, **env) -> subprocess.CompletedProcess:
    environment = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


_PRINT_SETTINGS = (
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'cs_platform.settings.base'); django.setup();"
    "from django.conf import settings as s;"
    "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL, s.DEBUG)"
)


def test_embedded_default_is_sqlite_with_eager_celery():
    result = _run(_PRINT_SETTINGS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "memory://", "False"]


def test_database_and_redis_urls_switch_to_postgresql_and_a_real_broker():
    result = _run(
        _PRINT_SETTINGS,
        DATABASE_URL="postgres://cs@db.example:5432/cs",
        REDIS_URL="redis://cache.example:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "False",
        "redis://cache.example:6379/0",
        "False",
    ]


def test_production_settings_pass_the_deploy_check():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cs_platform.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": "postgres://cs@db.example:5432/cs",
            "REDIS_URL": "redis://cache.example:6379/0",
            "ALLOWED_HOSTS": "cs.example.com",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_redis():
    result = _run(
        "import django; django.setup()",
        DJANGO_SETTINGS_MODULE="cs_platform.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL="postgres://cs@db.example:5432/cs",
    )
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr


def test_production_health_check_is_reachable_over_plain_http():
    code = (
        "import django; django.setup();"
        "from django.test import Client;"
        "c = Client(HTTP_HOST='cs.example.com');"
        "print(c.get('/healthz').status_code, c.get('/accounts/login/').status_code)"
    )
    result = _run(
        code,
        DJANGO_SETTINGS_MODULE="cs_platform.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL="sqlite:///:memory:",
        REDIS_URL="redis://127.0.0.1:1/0",
        ALLOWED_HOSTS="cs.example.com",
    )
    assert result.returncode == 0, result.stderr
    health_status, login_status = result.stdout.split()
    assert health_status == "503"  # answered (Redis is unreachable here), not redirected
    assert login_status == "301"  # everything else goes to HTTPS
