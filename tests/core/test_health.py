import os

import pytest

from core.services import worker_heartbeat_record


def test_healthz_reports_database_and_embedded_mode(client, settings, db):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "redis": "not configured",
        "worker_last_seen_seconds": None,
    }


def test_healthz_fails_when_configured_redis_is_unreachable(client, settings, db):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["redis"] == "unreachable"
    assert response.json()["status"] == "error"


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a real Redis: set REDIS_URL (CI does)")
def test_healthz_reaches_real_redis(client, settings, db):
    settings.REDIS_URL = os.environ["REDIS_URL"]
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["redis"] == "ok"


def test_healthz_reports_the_last_worker_heartbeat(client, db):
    worker_heartbeat_record(worker="celery@a")
    age = client.get("/healthz").json()["worker_last_seen_seconds"]
    assert age is not None and 0 <= age < 60


def test_heartbeat_upsert_keeps_one_row_per_worker(db):
    from core.models import WorkerHeartbeat

    worker_heartbeat_record(worker="celery@a")
    worker_heartbeat_record(worker="celery@a")
    assert WorkerHeartbeat.objects.filter(worker="celery@a").count() == 1


def test_heartbeat_task_runs_eagerly_without_redis(db):
    from core.models import WorkerHeartbeat
    from core.tasks import worker_heartbeat

    worker_heartbeat.delay()
    assert WorkerHeartbeat.objects.count() == 1
