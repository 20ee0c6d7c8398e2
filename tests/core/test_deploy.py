"""Production settings pass Django's deployment checks, a server error shows no traceback, and every answer
carries the security headers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.urls import path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_production_settings():
    """Among others: HSTS set (W004), HTTPS redirect (W008), secure session and CSRF cookies (W012, W016), a
    long random SECRET_KEY (W009), DEBUG off (W018)."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cs_platform.settings.production",
        "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/unused"),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
        "ALLOWED_HOSTS": "cs.example.com",
    }
    finished = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "no issues" in finished.stdout


def _boom(request):
    raise RuntimeError("secret detail from deep inside")


urlpatterns = [path("boom/", _boom)]


@pytest.mark.urls(__name__)
def test_a_server_error_shows_no_traceback(client, settings, db):
    settings.DEBUG = False
    client.raise_request_exception = False
    response = client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "secret detail" not in body and "Traceback" not in body and "RuntimeError" not in body


def test_pages_and_the_api_carry_the_security_headers(client, api, agent):
    client.force_login(agent)
    for response in (
        client.get("/dashboard/me/"),
        api.as_user(agent).get("/api/v1/me/"),
        client.get("/accounts/login/"),
    ):
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-eval" not in policy and "script-src 'self' 'unsafe-inline'" not in policy
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


def test_unknown_api_addresses_answer_json_and_pages_html(client, settings, db):
    settings.DEBUG = False
    api = client.get("/api/v1/no-such-thing/")
    assert (
        api.status_code == 404 and api["Content-Type"] == "application/json" and api.json() == {"detail": "Not found."}
    )
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_an_out_of_range_number_is_never_a_server_error(api, supervisor, team):
    """SQLite cannot bind an int of 10**22 (OverflowError): a 400 that says so. PostgreSQL compares it as a
    numeric and finds nothing: an empty answer. Never a 500."""
    response = api.as_user(supervisor).get(
        "/api/v1/attainment/", {"date_from": "2026-11-01", "date_to": "2026-11-02", "agent": 10**22}
    )
    if connection.vendor == "sqlite":
        assert response.status_code == 400 and "out of range" in str(response.json())
    else:
        assert response.status_code == 200 and response.json()["results"] == []
