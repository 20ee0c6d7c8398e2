from celery import shared_task

from plans import services


@shared_task(name="plans.tasks.daily_plans_create")
def daily_plans_create_task() -> int:
    return services.daily_plans_create()


@shared_task(name="plans.tasks.plan_reminders_send")
def plan_reminders_send_task() -> int:
    return services.plan_reminders_send()


@shared_task(name="plans.tasks.tasks_overdue_notify")
def tasks_overdue_notify_task() -> int:
    return services.tasks_overdue_notify()
