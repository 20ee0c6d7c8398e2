import subprocess
import sys

import yaml
from django.conf import settings


def test_openapi_schema_documents_every_endpoint(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for expected in [
        "/api/v1/auth/token/",
        "/api/v1/me/",
        "/api/v1/teams/",
        "/api/v1/teams/{id}/",
        "/api/v1/members/",
        "/api/v1/members/{id}/",
        "/api/v1/shops/",
        "/api/v1/responsibilities/",
        "/api/v1/shifts/",
        "/api/v1/shifts/{id}/",
    ]:
        assert expected in paths
    member_create = schema["paths"]["/api/v1/members/"]["post"]
    assert member_create["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("MemberCreateRequest")
    assert schema["components"]["securitySchemes"]["tokenAuth"]["name"] == "Authorization"


def test_schema_generates_without_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--fail-on-warn", "--validate", "--file", "/dev/null"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_swagger_ui_is_served_locally_not_from_a_cdn(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html
