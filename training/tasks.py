"""Training's Celery jobs: thin wrappers around the services, safe to run twice or concurrently."""

from celery import shared_task

from training import courses


@shared_task(name="training.tasks.assignments_notify_overdue", time_limit=10 * 60, soft_time_limit=9 * 60)
def assignments_notify_overdue_task() -> int:
    """Tell assignees and their supervisors, once, about assignments past their due date."""
    return courses.assignments_notify_overdue()


@shared_task(name="training.tasks.assessments_assign_due", time_limit=10 * 60, soft_time_limit=9 * 60)
def assessments_assign_due_task() -> int:
    """Periodic assessments (定期考核): assign each schedule's course once per period."""
    return courses.assessments_assign_due()
