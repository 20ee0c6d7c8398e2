from celery import shared_task

from conversations.services import import_job_run


@shared_task(name="conversations.tasks.import_job_run", acks_late=True)
def import_job_run_task(job_id: int) -> str:
    return import_job_run(job_id=job_id).status
