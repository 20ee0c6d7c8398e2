"""The one home of the periodic-task schedule.

django-celery-beat's DatabaseScheduler loads these entries into its tables at
start-up, so they also appear (and can be paused) in the admin. Run exactly one
beat process per deployment.
"""

from celery.schedules import crontab

BEAT_SCHEDULE = {
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
}
