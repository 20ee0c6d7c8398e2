"""QA's Celery jobs: thin wrappers around the services, safe to run twice."""

from celery import shared_task

from qa_reviews import complaints
from qa_reviews import sampling as qa_sampling


@shared_task(name="qa_reviews.tasks.complaints_flag_sla_breaches", time_limit=120, soft_time_limit=100)
def complaints_flag_sla_breaches_task() -> int:
    return complaints.complaints_flag_sla_breaches()


@shared_task(name="qa_reviews.tasks.sampling_run_weekly", time_limit=30 * 60, soft_time_limit=29 * 60)
def sampling_run_weekly_task() -> int:
    """Every active sampling rule samples its team's last complete week (in the team's time zone)."""
    return qa_sampling.sampling_run()
