"""A multipart body the API can read nothing from is refused, not taken for an empty form."""

import pytest

from qa_reviews.models import SamplingRule

BOUNDARY = "05ce9a0f3a6c291f61a5689e77146e63"


@pytest.fixture
def run_url(team):
    rule = SamplingRule.objects.create(team=team, name="Random", kind="random")
    return f"/api/v1/qa/sampling-rules/{rule.pk}/run/"  # its body is all optional


def _post(client, url: str, body: bytes):
    return client.generic("POST", url, body, content_type=f"multipart/form-data; boundary={BOUNDARY}")


def test_a_part_without_a_field_name_is_a_400(api, supervisor, run_url):
    garbage = f"--{BOUNDARY}\r\n-32021--{BOUNDARY}--\r\n".encode()
    response = _post(api.as_user(supervisor), run_url, garbage)
    assert response.status_code == 400 and "field name" in response.json()["detail"]


def test_an_empty_form_and_named_fields_still_parse(api, supervisor, run_url):
    client = api.as_user(supervisor)
    assert _post(client, run_url, f"--{BOUNDARY}--\r\n".encode()).status_code == 200
    named = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="week_start"\r\n\r\n2026-11-16\r\n--{BOUNDARY}--\r\n'
    response = _post(client, run_url, named.encode())
    assert response.status_code == 200 and response.json()["week_start"] == "2026-11-16"
    assert client.post(run_url, {}).status_code == 200  # the test client's own empty multipart form
