"""Recognition's Celery jobs: thin wrappers around the award services, safe to run twice or concurrently."""

import datetime as dt

from celery import shared_task

from recognition.awards import services
from teams.models import Team


@shared_task(name="recognition.tasks.awards_weekly_run", time_limit=30 * 60, soft_time_limit=29 * 60)
def awards_weekly_run_task(now: str | None = None) -> int:
    """Every team's last week's best-agent award, where due (Monday 02:00 local) and missing."""
    return services.awards_weekly_run(now=dt.datetime.fromisoformat(now) if now else None)


@shared_task(name="recognition.tasks.award_weekly_grant", time_limit=10 * 60, soft_time_limit=9 * 60)
def award_weekly_grant_task(team_id: int, week: str) -> int:
    """One team's award of one ISO week ("2026-W47"); returns the award's id (the existing one on a rerun)."""
    return services.award_weekly_grant(team=Team.objects.get(pk=team_id), week=week).pk
