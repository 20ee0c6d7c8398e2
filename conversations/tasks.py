from celery import shared_task

from conversations.retention import chat_retention_apply
from conversations.services import import_job_run, import_jobs_resume


@shared_task(name="conversations.tasks.import_job_run", acks_late=True)
def import_job_run_task(job_id: int) -> str:
    return import_job_run(job_id=job_id).status


@shared_task(name="conversations.tasks.import_jobs_resume", time_limit=120, soft_time_limit=100)
def import_jobs_resume_task() -> int:
    """Re-enqueue imports left pending because the broker lost their message."""
    return import_jobs_resume()


@shared_task(name="conversations.tasks.chat_retention_apply", acks_late=True)
def chat_retention_apply_task() -> dict:
    result = chat_retention_apply()
    return {"conversations": result.conversations, "messages": result.messages, "import_files": result.import_files}
