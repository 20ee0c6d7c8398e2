"""Plans listen to training: new assignments join today's draft plans as learning items, and a completed
assignment ticks its learning items off (connected in PlansConfig.ready)."""

import datetime as dt
import zoneinfo

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from plans.models import DailyPlan, ItemKind, PlanItem, PlanStatus
from training.signals import assignment_completed, assignments_created


@receiver(assignments_created, dispatch_uid="plans.learning_items_for_new_assignments")
def add_learning_items(sender, assignments, **kwargs) -> None:
    """Put each new assignment on its person's draft plan of today (their team's today), if not yet due."""
    by_user = {}
    for assignment in assignments:
        if assignment.completed_at is None:
            by_user.setdefault(assignment.user_id, []).append(assignment)
    if not by_user:
        return
    now = timezone.now()
    # Today somewhere on earth is UTC's yesterday, today or tomorrow; each plan's team decides which.
    plans = DailyPlan.objects.filter(
        agent_id__in=by_user,
        status=PlanStatus.DRAFT,
        date__gte=now.date() - dt.timedelta(days=1),
        date__lte=now.date() + dt.timedelta(days=1),
    ).select_related("team")
    rows = []
    for plan in plans:
        if plan.date != now.astimezone(zoneinfo.ZoneInfo(plan.team.timezone)).date():
            continue
        rows += [
            PlanItem(
                plan=plan, kind=ItemKind.LEARNING, text=assignment.course.title[:300], training_assignment=assignment
            )
            for assignment in by_user[plan.agent_id]
            if assignment.due_date >= plan.date
        ]
    with transaction.atomic():
        PlanItem.objects.bulk_create(rows, ignore_conflicts=True)


@receiver(assignment_completed, dispatch_uid="plans.learning_items_done")
def tick_learning_items(sender, assignment, **kwargs) -> None:
    """A completed assignment's learning items are done on the plans still open (submitted ones stay locked)."""
    PlanItem.objects.filter(training_assignment=assignment, done=False, plan__status=PlanStatus.DRAFT).update(done=True)
