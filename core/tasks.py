from celery import shared_task

from core.services import worker_heartbeat_record


@shared_task(name="core.tasks.worker_heartbeat", time_limit=30, soft_time_limit=20, bind=True)
def worker_heartbeat(self) -> str:
    worker = self.request.hostname or "eager"
    heartbeat = worker_heartbeat_record(worker=worker)
    return heartbeat.last_seen_at.isoformat()
