"""Real Celery workers against Redis and PostgreSQL post an award to a real HTTP server once, however many times
and on however many workers the delivery task runs; the task is registered in a worker started the usual way."""

import os
import subprocess
import sys
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from cs_platform.celery import app as celery_app
from recognition.models import AwardSettings, DeliveryStatus, WebhookDelivery
from tests.recognition.awards_breakdowns import simple_award
from tests.recognition.test_webhooks import SECRET, receiver  # noqa: F401  (the fixture)

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a real Redis: set REDIS_URL (CI does)"),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="needs PostgreSQL: the worker processes must share the test database (set DATABASE_URL; CI does)",
    ),
]
TASK = "recognition.tasks_webhooks.webhook_delivery_send"


@pytest.fixture
def workers(transactional_db):
    """Two solo-pool workers on a queue of their own."""
    queue = f"test-webhooks-{uuid.uuid4().hex[:8]}"
    parts = urlsplit(os.environ["DATABASE_URL"])
    database_url = urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))
    command = [sys.executable, "-m", "celery", "-A", "cs_platform", "worker", "--pool=solo", "--loglevel=INFO"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-Q", queue]
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "cs_platform.settings.base", "DATABASE_URL": database_url}
    processes = [
        subprocess.Popen(
            [*command, "-n", f"{queue}-{n}@localhost"],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n in range(2)
    ]
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield queue
    celery_app.conf.task_always_eager = previous
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_the_task_sent_four_times_to_two_workers_posts_once(workers, receiver, team, agent):  # noqa: F811
    AwardSettings.objects.create(team=team, webhook_url=receiver.url, webhook_secret=SECRET)
    delivery = WebhookDelivery.objects.create(award=simple_award(team, agent), url=receiver.url, payload={"x": 1})
    receiver.delay = 0.5  # the first post is in flight while the other worker takes its copy
    results = [celery_app.send_task(TASK, args=[delivery.pk, 1], queue=workers) for _ in range(4)]
    # A copy that ran while the post was in flight answers "pending": it found attempt 1 taken and left it.
    assert set(result.get(timeout=120) for result in results) <= {DeliveryStatus.DELIVERED, DeliveryStatus.PENDING}
    assert len(receiver.requests) == 1
    assert receiver.requests[0]["headers"]["X-CS-Delivery"] == str(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 1)
