"""A real Celery worker, started against Redis, runs a task that writes to PostgreSQL."""

import os
import subprocess
import sys
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from core.models import WorkerHeartbeat
from core.tasks import worker_heartbeat
from cs_platform.celery import app as celery_app

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a real Redis: set REDIS_URL (CI does)"),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="needs PostgreSQL: the worker process must share the test database (set DATABASE_URL; CI does)",
    ),
]


def _test_database_url() -> str:
    """DATABASE_URL pointed at the database pytest-django created for this run."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


@pytest.fixture
def celery_worker_process(transactional_db):
    queue = f"test-{uuid.uuid4().hex[:8]}"
    node_name = f"{queue}@localhost"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cs_platform.settings.base",
        "DATABASE_URL": _test_database_url(),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cs_platform",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            queue,
            "-n",
            node_name,
        ],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield queue, node_name
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def tasks_go_through_the_broker():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = previous


def test_worker_runs_task_end_to_end(celery_worker_process, tasks_go_through_the_broker):
    queue, node_name = celery_worker_process

    result = worker_heartbeat.apply_async(queue=queue)
    seen_at = result.get(timeout=90)

    heartbeat = WorkerHeartbeat.objects.get(worker=node_name)
    assert heartbeat.last_seen_at.isoformat() == seen_at
    # Idempotent: a redelivered or repeated run updates the same row.
    worker_heartbeat.apply_async(queue=queue).get(timeout=60)
    assert WorkerHeartbeat.objects.filter(worker=node_name).count() == 1
