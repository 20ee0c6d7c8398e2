"""Celery jobs of the award webhook: thin wrappers around recognition.webhooks, safe to run twice."""

from celery import shared_task

from recognition import webhooks


@shared_task(name="recognition.tasks_webhooks.webhook_delivery_send", time_limit=60, soft_time_limit=45, bind=True)
def webhook_delivery_send_task(self, delivery_id: int, attempt: int = 1) -> str:
    """Make one attempt; only the run that made it schedules the next one, after the backoff, on the same queue."""
    result = webhooks.webhook_delivery_attempt(delivery_id=delivery_id, attempt=attempt)
    if result.retry_in is not None:
        queue = (getattr(self.request, "delivery_info", None) or {}).get("routing_key")
        webhook_delivery_send_task.apply_async(
            args=[delivery_id, attempt + 1], countdown=result.retry_in, **({"queue": queue} if queue else {})
        )
    return result.status


@shared_task(name="recognition.tasks_webhooks.webhook_deliveries_resume", time_limit=120, soft_time_limit=100)
def webhook_deliveries_resume_task() -> int:
    """Re-enqueue deliveries whose worker died mid-attempt or whose scheduled retry was lost."""
    return webhooks.webhook_deliveries_resume()
