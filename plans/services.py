"""Writes for the agent's day: plans made from shifts, the summary, review, 5W2H tasks, reminders."""

import datetime as dt
import zoneinfo
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractHour
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from conversations.models import Conversation
from kpi.definitions import METRICS
from kpi.models import DailyAgentMetric, DailyTarget
from notifications.services import Outgoing, notifications_send
from plans.models import DailyPlan, ItemKind, PlanItem, PlanStatus, Task, TaskStatus, TaskStatusChange
from plans.today_cache import today_answer_forget
from teams import policy
from teams.models import Membership, Role, Shift, Team
from training.models import Assignment

OPEN_TASK_STATUSES = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)


def _local_now(now: dt.datetime, zone_name: str) -> dt.datetime:
    return now.astimezone(zoneinfo.ZoneInfo(zone_name))


def daily_plans_create(*, now: dt.datetime | None = None) -> int:
    """Make the plan of every agent whose shift has started (in the team's time zone) and has none yet.

    Idempotent: the plan is unique per (agent, date), and items for tasks are added once.
    """
    now = now or timezone.now()
    candidates = []
    shifts = (
        Shift.objects.filter(
            date__gte=(now - dt.timedelta(days=1)).date(), date__lte=(now + dt.timedelta(days=1)).date()
        )
        .filter(
            user__memberships__team_id=F("team_id"), user__memberships__role=Role.AGENT, user__memberships__active=True
        )
        .select_related("team")
    )
    for shift in shifts:
        local = _local_now(now, shift.team.timezone)
        if shift.date == local.date() and local.time() >= shift.start_time:
            candidates.append(shift)
    created = 0
    for shift in candidates:
        with transaction.atomic():
            plan, was_created = DailyPlan.objects.get_or_create(
                agent_id=shift.user_id, date=shift.date, defaults={"team_id": shift.team_id, "shift": shift}
            )
            if was_created:
                plan.targets = _targets_of(shift.user_id, shift.date)
                plan.save(update_fields=["targets"])
                created += 1
            _add_task_items(plan)
            plan_learning_items_add(plan=plan)
    return created


def _targets_of(agent_id: int, day: dt.date) -> list[dict]:
    rows = (
        DailyTarget.objects.filter(agent_id=agent_id, date=day)
        .values("monthly_target__metric")
        .annotate(total=Sum("value"))
        .order_by("monthly_target__metric")
    )
    return [
        {
            "metric": row["monthly_target__metric"],
            "value": f"{Decimal(row['total']):.2f}",
            "direction": METRICS[row["monthly_target__metric"]].direction,
        }
        for row in rows
        if row["monthly_target__metric"] in METRICS
    ]


def _add_task_items(plan: DailyPlan) -> None:
    """Tasks of the agent that are open and due by the end of the plan's day appear as work items."""
    zone = zoneinfo.ZoneInfo(plan.team.timezone)
    end_of_day = dt.datetime.combine(plan.date + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    tasks = Task.objects.filter(assignees=plan.agent_id, status__in=OPEN_TASK_STATUSES, due_at__lt=end_of_day)
    PlanItem.objects.bulk_create(
        [PlanItem(plan=plan, kind=ItemKind.WORK, text=task.what[:300], task=task) for task in tasks],
        ignore_conflicts=True,
    )
    today_answer_forget([plan.agent_id])


def plan_learning_items_add(*, plan: DailyPlan) -> None:
    """The agent's open training assignments due on or after the plan's day (and assigned by the end of it)
    appear as learning items linking to the assignment. Idempotent: an assignment is on a plan once."""
    zone = zoneinfo.ZoneInfo(plan.team.timezone)
    end_of_day = dt.datetime.combine(plan.date + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    assignments = Assignment.objects.filter(
        user_id=plan.agent_id, completed_at__isnull=True, due_date__gte=plan.date, created_at__lt=end_of_day
    ).select_related("course")
    rows = [
        PlanItem(plan=plan, kind=ItemKind.LEARNING, text=assignment.course.title[:300], training_assignment=assignment)
        for assignment in assignments
    ]
    PlanItem.objects.bulk_create(rows, ignore_conflicts=True)
    today_answer_forget([plan.agent_id])


def plan_summary_figures(plan: DailyPlan) -> dict:
    """The end-of-day figures from the computed metrics (and the agent's own busiest local hour)."""
    metric = DailyAgentMetric.objects.filter(agent_id=plan.agent_id, team_id=plan.team_id, date=plan.date).first()
    zone = zoneinfo.ZoneInfo(plan.team.timezone)
    start = dt.datetime.combine(plan.date, dt.time.min, tzinfo=zone)
    by_hour = (
        Conversation.objects.filter(
            agent_id=plan.agent_id,
            team_id=plan.team_id,
            started_at__gte=start,
            started_at__lt=start + dt.timedelta(days=1),
        )
        .annotate(hour=ExtractHour("started_at", tzinfo=zone))
        .values("hour")
        .annotate(total=Count("id"), pre_sales=Count("id", filter=Q(category="pre_sales")))
        .order_by("-total", "hour")
    )
    hours = list(by_hour)
    served = sum(row["total"] for row in hours)
    pre_sales = sum(row["pre_sales"] for row in hours)
    return {
        "customers_served": metric.conversations if metric else served,
        "pre_sales_conversations": pre_sales,
        "after_sales_conversations": served - pre_sales,
        "busiest_hour": hours[0]["hour"] if hours else None,
        "conversion_rate": metric.conversion_rate if metric else None,
        "unanswered": metric.unanswered if metric else 0,
    }


SUMMARY_FIGURES = (
    "customers_served",
    "pre_sales_conversations",
    "after_sales_conversations",
    "busiest_hour",
    "conversion_rate",
    "unanswered",
)
AGENT_FIELDS = ("problems", "improvements", "note", *SUMMARY_FIGURES)


@transaction.atomic
def plan_update(*, plan: DailyPlan, actor, data: dict) -> DailyPlan:
    """The agent edits their own draft summary; a submitted plan is locked."""
    plan = DailyPlan.objects.select_for_update().get(pk=plan.pk)
    if actor.pk != plan.agent_id:
        raise PermissionDenied(_("Only the agent edits their own plan."))
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError({"status": _("The plan is submitted; it is locked until it is sent back.")})
    for field in AGENT_FIELDS:
        if field in data:
            setattr(plan, field, data[field])
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_item_set_done(*, item: PlanItem, actor, done: bool) -> PlanItem:
    plan = DailyPlan.objects.select_for_update().get(pk=item.plan_id)
    if actor.pk != plan.agent_id:
        raise PermissionDenied(_("Only the agent ticks off their own plan."))
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError({"status": _("The plan is submitted; it is locked until it is sent back.")})
    item.done = done
    item.save(update_fields=["done"])
    return item


@transaction.atomic
def plan_item_add(*, plan: DailyPlan, actor, text: str, kind: str = ItemKind.WORK) -> PlanItem:
    plan = DailyPlan.objects.select_for_update().get(pk=plan.pk)
    if actor.pk != plan.agent_id and not policy.can_supervise_team(actor, plan.team_id):
        raise PermissionDenied
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError({"status": _("The plan is submitted; it is locked until it is sent back.")})
    if not text.strip():
        raise ValidationError({"text": _("Write what the item is.")})
    item = PlanItem(plan=plan, kind=kind, text=text.strip()[:300], position=plan.items.count())
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def plan_submit(*, plan: DailyPlan, actor) -> DailyPlan:
    """Lock the day's summary; the figures are refreshed from the latest metrics where the agent left them empty."""
    plan = DailyPlan.objects.select_for_update().get(pk=plan.pk)
    if actor.pk != plan.agent_id:
        raise PermissionDenied(_("Only the agent submits their own plan."))
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError({"status": _("The plan is already submitted.")})
    for field, value in plan_summary_figures(plan).items():
        if getattr(plan, field) is None:
            setattr(plan, field, value)
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.save()
    return plan


@transaction.atomic
def plan_review(*, plan: DailyPlan, reviewer, comment: str = "", send_back: bool = False) -> DailyPlan:
    """A supervisor accepts a submitted plan, or sends it back to the agent with a comment."""
    plan = DailyPlan.objects.select_for_update().get(pk=plan.pk)
    if not policy.can_supervise_team(reviewer, plan.team_id) or reviewer.pk == plan.agent_id:
        raise PermissionDenied(_("Only the team's supervisors review its plans."))
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted plan can be reviewed.")})
    if send_back and not comment.strip():
        raise ValidationError({"comment": _("Say what to change when sending a plan back.")})
    plan.status = PlanStatus.DRAFT if send_back else PlanStatus.REVIEWED
    plan.review_comment = comment
    plan.reviewed_by = reviewer
    plan.reviewed_at = timezone.now()
    plan.save()
    message = (
        gettext_noop("Your plan of %(date)s was sent back: %(comment)s")
        if send_back
        else gettext_noop("Your plan of %(date)s was reviewed.")
    )
    notifications_send(
        outgoing=[
            Outgoing(
                recipient_id=plan.agent_id,
                kind="plan-sent-back" if send_back else "plan-reviewed",
                message=message,
                params={"date": plan.date.isoformat(), "comment": comment},
                link=f"/plans/{plan.pk}/",
                dedupe_key=f"plan-review:{plan.pk}:{plan.reviewed_at.isoformat()}",
            )
        ]
    )
    return plan


@transaction.atomic
def task_create(
    *,
    team: Team,
    creator,
    what: str,
    due_at: dt.datetime,
    assignees: list,
    why: str = "",
    where: str = "",
    how: str = "",
    how_much=None,
    how_much_unit: str = "",
) -> Task:
    """A 5W2H task from a supervisor or QA inspector for people of their team; the assignees are notified."""
    if not policy.can_supervise_team(creator, team.pk):
        raise PermissionDenied(_("Only the team's supervisors and QA inspectors give it tasks."))
    if not assignees:
        raise ValidationError({"assignees": _("Name at least one person.")})
    members = set(
        Membership.objects.filter(team=team, active=True, user__in=assignees).values_list("user_id", flat=True)
    )
    outside = [person for person in assignees if person.pk not in members]
    if outside:
        raise ValidationError({"assignees": _("%(name)s is not an active member of the team.") % {"name": outside[0]}})
    task = Task(
        team=team,
        what=what,
        why=why,
        due_at=due_at,
        where=where,
        how=how,
        how_much=how_much,
        how_much_unit=how_much_unit,
        created_by=creator,
    )
    task.full_clean()
    task.save()
    task.assignees.set(assignees)
    TaskStatusChange.objects.create(task=task, from_status="", to_status=task.status, changed_by=creator)
    notifications_send(
        outgoing=[
            Outgoing(
                recipient_id=person.pk,
                kind="task-assigned",
                message=gettext_noop("New task: %(what)s"),
                params={"what": what},
                link=f"/tasks/{task.pk}/",
                dedupe_key=f"task-assigned:{task.pk}",
            )
            for person in assignees
        ]
    )
    return task


@transaction.atomic
def task_status_set(*, task: Task, actor, status: str) -> Task:
    """Assignees move their task along; the team's supervisors may too. Every change is kept."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    is_assignee = task.assignees.filter(pk=actor.pk).exists()
    if not (is_assignee or policy.can_supervise_team(actor, task.team_id)):
        raise PermissionDenied
    if status not in TaskStatus.values:
        raise ValidationError({"status": _("Unknown status %(status)s.") % {"status": status}})
    if status != task.status:
        TaskStatusChange.objects.create(task=task, from_status=task.status, to_status=status, changed_by=actor)
        task.status = status
        task.save(update_fields=["status", "updated_at"])
    return task


def plan_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind agents whose shift has ended without a submitted plan, and give each supervisor a digest.

    Run as often as you like: each reminder and each digest is sent once.
    """
    now = now or timezone.now()
    late_by_team: dict[int, list[DailyPlan]] = defaultdict(list)
    plans = DailyPlan.objects.filter(
        status=PlanStatus.DRAFT, date__gte=(now - dt.timedelta(days=2)).date()
    ).select_related("team", "shift", "agent")
    outgoing = []
    for plan in plans:
        local = _local_now(now, plan.team.timezone)
        end = plan.shift.end_time if plan.shift else dt.time(23, 59)
        overnight = plan.shift is not None and plan.shift.end_time < plan.shift.start_time
        shift_over = local.date() > plan.date + dt.timedelta(days=1 if overnight else 0) or (
            local.date() == plan.date + dt.timedelta(days=1 if overnight else 0) and local.time() >= end
        )
        if not shift_over:
            continue
        late_by_team[plan.team_id].append(plan)
        outgoing.append(
            Outgoing(
                recipient_id=plan.agent_id,
                kind="plan-reminder",
                message=gettext_noop("Your shift has ended: please submit your summary of %(date)s."),
                params={"date": plan.date.isoformat()},
                link=f"/plans/{plan.pk}/",
                dedupe_key=f"plan-reminder:{plan.pk}",
            )
        )
    supervisors = Membership.objects.filter(team_id__in=late_by_team, role=Role.SUPERVISOR, active=True)
    for team_id, supervisor_id in supervisors.values_list("team_id", "user_id"):
        for day in sorted({plan.date for plan in late_by_team[team_id]}):
            names = sorted(str(plan.agent) for plan in late_by_team[team_id] if plan.date == day)
            outgoing.append(
                Outgoing(
                    recipient_id=supervisor_id,
                    kind="plan-digest",
                    message=gettext_noop("Plans not submitted for %(date)s: %(names)s"),
                    params={"date": day.isoformat(), "names": ", ".join(names)},
                    link=f"/plans/team/{team_id}/?date={day.isoformat()}",
                    dedupe_key=f"plan-digest:{team_id}:{day.isoformat()}",
                )
            )
    return notifications_send(outgoing=outgoing)


def tasks_overdue_notify(*, now: dt.datetime | None = None) -> int:
    """Tell every assignee of an open task past its due time, once per task."""
    now = now or timezone.now()
    overdue = Task.objects.filter(status__in=OPEN_TASK_STATUSES, due_at__lt=now).prefetch_related("assignees")
    return notifications_send(
        outgoing=[
            Outgoing(
                recipient_id=person.pk,
                kind="task-overdue",
                message=gettext_noop("Overdue task: %(what)s"),
                params={"what": task.what},
                link=f"/tasks/{task.pk}/",
                dedupe_key=f"task-overdue:{task.pk}",
            )
            for task in overdue
            for person in task.assignees.all()
        ]
    )
