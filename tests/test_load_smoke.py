"""The load test's locustfile, run for a few seconds against a small seeded database, so it cannot rot.

gunicorn serves the test database (the same production-like server `manage.py loadtest` starts) and locust
runs as a subprocess: it is never imported here (gevent would patch this process).
"""

import csv

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.db import connection

from demo.department import DEMO_PASSWORD
from loadtest import endpoints
from loadtest.runner import load_run, locust_figures


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the load test seeds PostgreSQL (generate_series) and serves it with gunicorn; CI sets DATABASE_URL",
)
@pytest.mark.django_db(transaction=True)  # gunicorn's workers read the seeded data through their own connections
def test_every_endpoint_of_the_locustfile_answers_without_errors(tmp_path):
    call_command("seed_load", "--agents", "26", "--messages", "20000", "--days", "2", "--squad-size", "3", stdout=None)
    # The test settings hash with MD5, which gunicorn's production settings do not read: a hash they know (cheap).
    hashed = PBKDF2PasswordHasher().encode(DEMO_PASSWORD, "load-smoke-salt", iterations=1000)
    get_user_model().objects.update(password=hashed)

    report = load_run(
        database=connection.settings_dict,
        redis_url=settings.REDIS_URL,
        users=5,
        seconds=8,
        spawn_rate=5,
        workers=2,
        throttle="1200/minute",
        smoke=True,  # one user of each class, each requesting every one of its endpoints first
        keep=tmp_path,
        write=lambda line: None,
    )

    errors = [error for figures in report.endpoints for error in figures.errors]
    assert report.total.failures == 0, errors
    assert report.missing == []
    with open(tmp_path / "locust_stats.csv", newline="") as stats:
        named = {row["Name"] for row in csv.DictReader(stats)} - {"Aggregated"}
    assert named == set(endpoints.ALL.values())  # requests are grouped by endpoint, never by id


STATS_HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,"
    "Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
)


def test_the_report_counts_429s_apart_from_errors(tmp_path):
    (tmp_path / "locust_stats.csv").write_text(
        f"{STATS_HEADER}\n"
        "GET,GET /api/v1/me/today/,100,7,9,12.5,3,400,900,2.5,0.1,9,10,11,12,20,35,90,180,400,400,400\n"
        ",Aggregated,100,7,9,12.5,3,400,900,2.5,0.1,9,10,11,12,20,35,90,180,400,400,400\n"
    )
    (tmp_path / "locust_failures.csv").write_text(
        "Method,Name,Error,Occurrences,First Seen,Last Seen\n"
        f"GET,GET /api/v1/me/today/,CatchResponseError('{endpoints.THROTTLED_MESSAGE}'),5,1,2\n"
        "GET,GET /api/v1/me/today/,CatchResponseError('HTTP 500: oops'),2,1,2\n"
    )

    rows, total = locust_figures(tmp_path / "locust")

    [today] = rows
    assert (today.requests, today.failures, today.throttled) == (100, 2, 5)
    assert (today.p50, today.p95, today.p99, today.max, today.rps) == (9, 35, 180, 400, 2.5)
    assert today.errors == ["GET CatchResponseError('HTTP 500: oops') x2"]
    assert (total.requests, total.failures, total.throttled) == (100, 2, 5)
