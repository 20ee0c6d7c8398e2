import datetime as dt

from celery import shared_task

from kpi import services
from teams.models import Team


@shared_task(name="kpi.tasks.metrics_refresh")
def metrics_refresh_task() -> int:
    return services.metrics_refresh()


@shared_task(name="kpi.tasks.metrics_compute_day")
def metrics_compute_day_task(day: str, team_id: int | None = None) -> int:
    teams = Team.objects.filter(pk=team_id) if team_id else None
    return services.daily_metrics_compute(day=dt.date.fromisoformat(day), teams=teams)
