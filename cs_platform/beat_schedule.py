"""The one home of the periodic-task schedule.

django-celery-beat's DatabaseScheduler loads these entries into its tables at
start-up, so they also appear (and can be paused) in the admin. Run exactly one
beat process per deployment.
"""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Daily: customers' personal data leaves chats older than CHAT_RETENTION_DAYS (metrics stay).
    "conversations.chat_retention_apply": {
        "task": "conversations.tasks.chat_retention_apply",
        "schedule": crontab(hour=3, minute=40),
        "options": {"expires": 6 * 60 * 60},
    },
    # Every 10 minutes: re-enqueue file imports still pending 10 minutes after upload (Redis lost the queued
    # message: restarted without its data); the job's claim keeps a resumed import from running twice.
    "conversations.import_jobs_resume": {
        "task": "conversations.tasks.import_jobs_resume",
        "schedule": crontab(minute="2-59/10"),
        "options": {"expires": 9 * 60},
    },
    # Every minute: record that a worker is alive, so /healthz can tell ops
    # whether queued work (metrics, awards, reminders) is being processed.
    "core.worker_heartbeat": {
        "task": "core.tasks.worker_heartbeat",
        "schedule": crontab(minute="*"),
        "options": {"expires": 50},
    },
    # Every 15 minutes: every team's metrics for its local today, yesterday until 02:00 local
    # (finalising late chats), and every day that ingestion marked stale.
    "kpi.metrics_refresh": {
        "task": "kpi.tasks.metrics_refresh",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 14 * 60},
    },
    # Every 5 minutes: a plan for each agent whose shift has started in their team's time zone.
    "plans.daily_plans_create": {
        "task": "plans.tasks.daily_plans_create",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
    # Every 15 minutes: remind agents whose shift ended without a submitted summary, digest to supervisors.
    "plans.plan_reminders_send": {
        "task": "plans.tasks.plan_reminders_send",
        "schedule": crontab(minute="7-59/15"),
        "options": {"expires": 14 * 60},
    },
    # Hourly: tell assignees about tasks past their due time.
    "plans.tasks_overdue_notify": {
        "task": "plans.tasks.tasks_overdue_notify",
        "schedule": crontab(minute=3),
        "options": {"expires": 50 * 60},
    },
    # Every minute: flag complaints left unanswered past their first-response SLA, tell owner and supervisors.
    "qa_reviews.complaints_flag_sla_breaches": {
        "task": "qa_reviews.tasks.complaints_flag_sla_breaches",
        "schedule": crontab(minute="*"),
        "options": {"expires": 50},
    },
    # Mondays and Tuesdays 01:30 (UTC, CELERY_TIMEZONE): every active QA sampling rule fills its
    # inspectors' queue from its team's last complete Monday-Sunday week, found in the team's own
    # time zone. Teams more than 1.5 h west of UTC are still in Sunday then, so the Tuesday run is the
    # one that samples their week; for everyone else it only tops up quotas with chats that arrived late.
    "qa_reviews.sampling_run_weekly": {
        "task": "qa_reviews.tasks.sampling_run_weekly",
        "schedule": crontab(minute=30, hour=1, day_of_week="mon,tue"),
        "options": {"expires": 6 * 60 * 60},
    },
    # Daily 01:00 UTC (09:00 in Shanghai, as the morning shift starts): each open training assignment past its
    # due date in its team's time zone notifies the assignee and the team's supervisors, once. Daily is
    # enough for a due *date*; a team west of UTC hears about yesterday's at the next run. Safe to rerun.
    "training.assignments_notify_overdue": {
        "task": "training.tasks.assignments_notify_overdue",
        "schedule": crontab(minute=0, hour=1),
        "options": {"expires": 6 * 60 * 60},
    },
    # Hourly at :20: periodic assessments (定期考核). A period (ISO week, month, quarter) starts at midnight in
    # each team's own time zone, so an hourly run assigns it within the hour of its start wherever the team
    # is; a schedule whose period is already assigned costs one comparison, and reruns create nothing.
    "training.assessments_assign_due": {
        "task": "training.tasks.assessments_assign_due",
        "schedule": crontab(minute=20),
        "options": {"expires": 50 * 60},
    },
    # Hourly at :05 on Sundays, Mondays and Tuesdays (UTC): each team's best agent of last week, from Monday
    # 02:00 in the team's own time zone (after the KPI app's last pass over Sunday). That moment falls between
    # Sunday 12:00 UTC (UTC+14) and Monday 14:00 UTC (UTC-12), so the Sunday hours serve teams east of UTC,
    # Monday's the rest; Tuesday catches up after an outage. A run grants only missing awards (unique per team
    # and week), so the other hours cost two queries.
    "recognition.awards_weekly_run": {
        "task": "recognition.tasks.awards_weekly_run",
        "schedule": crontab(minute=5, day_of_week="sun,mon,tue"),
        "options": {"expires": 50 * 60},
    },
    # Every 10 minutes: re-enqueue award webhook posts whose worker died mid-attempt or whose retry was lost
    # (a delivery is claimed per attempt, so a resumed one is never posted twice).
    "recognition.webhook_deliveries_resume": {
        "task": "recognition.tasks_webhooks.webhook_deliveries_resume",
        "schedule": crontab(minute="*/10"),
        "options": {"expires": 9 * 60},
    },
}
