"""Demo figures: computed metrics for the seeded days and this month's targets."""

import datetime as dt
from decimal import Decimal

from kpi.services import daily_metrics_compute
from kpi.targets import kpi_targets_cascade
from teams.models import Team


def demo_kpi_seed(*, department: Team, today: dt.date, days: int) -> None:
    teams = Team.objects.filter(pk=department.pk) | Team.objects.filter(parent=department)
    for offset in range(days):
        daily_metrics_compute(day=today - dt.timedelta(days=offset), teams=teams)
    month = today.replace(day=1)
    campaign = {month.replace(day=11): (Decimal(2), "campaign")}
    kpi_targets_cascade(
        team=department, metric="sales_amount", month=month, value=Decimal(900000), day_weights=campaign, apply=True
    )
    kpi_targets_cascade(
        team=department, metric="conversations", month=month, value=Decimal(6000), day_weights=campaign, apply=True
    )
    kpi_targets_cascade(team=department, metric="first_response_seconds", month=month, value=Decimal(45), apply=True)
