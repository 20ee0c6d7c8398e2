"""A real Celery worker, started against Redis, runs a task that writes to PostgreSQL."""

from core.models import WorkerHeartbeat
from core.tasks import worker_heartbeat
from tests.core import celery_support

pytestmark = celery_support.NEEDS_REDIS_AND_POSTGRES
celery_worker_process = celery_support.celery_worker_process
tasks_go_through_the_broker = celery_support.tasks_go_through_the_broker


def test_worker_runs_task_end_to_end(celery_worker_process, tasks_go_through_the_broker):
    queue, node_name = celery_worker_process

    result = worker_heartbeat.apply_async(queue=queue)
    seen_at = result.get(timeout=90)

    heartbeat = WorkerHeartbeat.objects.get(worker=node_name)
    assert heartbeat.last_seen_at.isoformat() == seen_at
    # Idempotent: a redelivered or repeated run updates the same row.
    worker_heartbeat.apply_async(queue=queue).get(timeout=60)
    assert WorkerHeartbeat.objects.filter(worker=node_name).count() == 1
