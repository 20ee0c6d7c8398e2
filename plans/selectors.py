import datetime as dt
import zoneinfo

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from kpi.models import DailyAgentMetric
from plans.models import DailyPlan, PlanItem, Task
from plans.services import OPEN_TASK_STATUSES
from teams import policy

User = get_user_model()


def plan_list(*, user) -> QuerySet[DailyPlan]:
    """Plans the user may read: their own, or all of the teams they supervise."""
    items = PlanItem.objects.order_by("kind", "position", "id")
    return policy.scope_queryset(
        user,
        DailyPlan.objects.select_related("agent", "team").prefetch_related(Prefetch("items", queryset=items)),
        owner_field="agent",
    ).order_by("-date", "agent__username")


def task_list(*, user) -> QuerySet[Task]:
    """Tasks of the teams the user supervises, and the tasks given to the user."""
    return (
        policy.scope_queryset(user, Task.objects.all(), owner_field="assignees")
        .distinct()
        .prefetch_related("assignees")
        .order_by("due_at", "id")
    )


def today_of(*, user, now: dt.datetime | None = None) -> dict:
    """The caller's day: plan (with targets), live progress, tasks due, in a fixed number of queries.

    Only the caller's own rows are read, so no team scoping is needed. "Today" is the date in the time zone
    of the team of the caller's latest plan, and the progress comes from that team's metrics only (an agent
    who works in two teams has a row in each)."""
    now = now or timezone.now()
    items = PlanItem.objects.order_by("kind", "position", "id")
    plan = (
        DailyPlan.objects.filter(agent=user)
        .select_related("agent", "team")
        .prefetch_related(Prefetch("items", queryset=items))
        .order_by("-date")
        .first()
    )
    zone = zoneinfo.ZoneInfo(plan.team.timezone) if plan else timezone.get_current_timezone()
    today = now.astimezone(zone).date()
    if plan is not None and plan.date != today:
        plan = None
    end_of_day = dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    tasks = list(
        Task.objects.filter(assignees=user, status__in=OPEN_TASK_STATUSES, due_at__lt=end_of_day)
        .prefetch_related(Prefetch("assignees", queryset=User.objects.only("pk").order_by("pk")))
        .order_by("due_at", "id")
    )
    figures = {}
    if plan is not None and plan.targets:
        row = DailyAgentMetric.objects.filter(agent=user, team_id=plan.team_id, date=today).first()
        figures = row.figures() if row else {}
    progress = [{**target, "actual": figures.get(target["metric"])} for target in (plan.targets if plan else [])]
    return {
        "date": today,
        "plan": plan,
        "progress": progress,
        "tasks": tasks,
        "overdue": [t for t in tasks if t.due_at < now],
    }
